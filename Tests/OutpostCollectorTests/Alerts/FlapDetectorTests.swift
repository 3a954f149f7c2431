import Testing

@testable import OutpostCollector

@Suite("Flap detection (Icinga-style weighted state changes with hysteresis)")
struct FlapDetectorTests {
    let standard = FlapDetector.Configuration.standard

    @Test func aSteadyOrOnceChangedPairNeverFlaps() {
        var detector = FlapDetector()
        for state in Array(repeating: false, count: 30) + Array(repeating: true, count: 30) {
            #expect(detector.record(state, configuration: standard) == nil)
        }
        #expect(!detector.isFlapping)
    }

    @Test func alternatingStatesStartFlappingOnceTheWeightedRatioPasses50Percent() {
        var detector = FlapDetector()
        var transitions: [(Int, FlapDetector.Transition)] = []
        for check in 0..<21 {
            if let transition = detector.record(check.isMultiple(of: 2), configuration: standard) {
                transitions.append((check, transition))
            }
        }
        // After check k there are k changes, the newest weighing 1.2: 8 of them make 44.8 %, 9 make 50.2 %.
        #expect(transitions.map(\.0) == [9])
        #expect(transitions.map(\.1) == [.started])
        #expect(abs(detector.changePercent(windowSize: 21) - 100) < 1e-9)
    }

    @Test func flappingStopsOnlyBelowTheStopThreshold() {
        var detector = FlapDetector()
        for check in 0..<21 { _ = detector.record(check.isMultiple(of: 2), configuration: standard) }
        var stoppedAfter: Int?
        var percents: [Double] = []
        for check in 1...21 {
            let transition = detector.record(true, configuration: standard)
            percents.append(detector.changePercent(windowSize: 21))
            if transition == .stopped {
                stoppedAfter = check
                break
            }
            #expect(transition == nil)
        }
        // Hysteresis: still flapping between 50 % and 30 %; stopped at the first check below 30 %.
        #expect(percents.dropLast().allSatisfy { $0 >= 30 })
        #expect((percents.last ?? 100) < 30)
        #expect(stoppedAfter == 14)
        #expect(!detector.isFlapping)
    }

    @Test func newerChangesWeighMoreThanOlderOnes() {
        var old = FlapDetector()
        var new = FlapDetector()
        for check in 0..<21 {
            _ = old.record(check >= 1, configuration: standard)  // the oldest transition changes
            _ = new.record(check >= 20, configuration: standard)  // the newest transition changes
        }
        #expect(abs(old.changePercent(windowSize: 21) - 4) < 1e-9)  // 0.8 / 20
        #expect(abs(new.changePercent(windowSize: 21) - 6) < 1e-9)  // 1.2 / 20
    }

    @Test func thresholdsAreValidated() {
        #expect(FlapDetector.Configuration(windowSize: 21, startPercent: 30, stopPercent: 30) == nil)
        #expect(FlapDetector.Configuration(windowSize: 2) == nil)
        #expect(FlapDetector.Configuration(windowSize: 21, startPercent: 101, stopPercent: 30) == nil)
        #expect(FlapDetector.Configuration(windowSize: 11, startPercent: 40, stopPercent: 20) != nil)
    }

    @Test func aRestoredFlappingPairNeedsStableChecksToStop() {
        var detector = FlapDetector(restoredFlapping: standard)
        #expect(detector.isFlapping)
        #expect(detector.record(true, configuration: standard) == nil)
    }
}
