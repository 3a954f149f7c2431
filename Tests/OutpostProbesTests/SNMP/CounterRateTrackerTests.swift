import Foundation
import OutpostCore
import OutpostProbes
import Testing

@Suite struct CounterRateTrackerTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var previous: SNMPValue, previousUptime: UInt32?
        var current: SNMPValue, currentUptime: UInt32?
        var seconds: Double
        var rate: Double?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "counter32 increase", previous: .counter32(1_000), previousUptime: 100, current: .counter32(3_000),
            currentUptime: 1_100, seconds: 10, rate: 200),
        Case(
            name: "counter32 wrap", previous: .counter32(UInt32.max - 99), previousUptime: 100,
            current: .counter32(100), currentUptime: 1_100, seconds: 10, rate: 20),
        Case(
            name: "counter64 increase", previous: .counter64(10_000_000_000), previousUptime: nil,
            current: .counter64(10_000_000_600), currentUptime: nil, seconds: 60, rate: 10),
        Case(
            name: "counter64 wrap", previous: .counter64(UInt64.max - 9), previousUptime: nil, current: .counter64(10),
            currentUptime: nil, seconds: 2, rate: 10),
        Case(
            name: "counter64 decrease is a reset (implausible wrap)", previous: .counter64(5_000_000),
            previousUptime: nil, current: .counter64(10), currentUptime: nil, seconds: 10, rate: nil),
        Case(
            name: "agent restart: sysUpTime went back", previous: .counter32(900_000), previousUptime: 50_000,
            current: .counter32(10), currentUptime: 30, seconds: 10, rate: nil),
        Case(
            name: "counter32 wrap faster than plausible is a reset", previous: .counter32(100), previousUptime: nil,
            current: .counter32(50), currentUptime: nil, seconds: 0.1, rate: nil),
        Case(
            name: "unchanged counter", previous: .counter32(7), previousUptime: 1, current: .counter32(7),
            currentUptime: 2, seconds: 5, rate: 0),
        Case(
            name: "type changed", previous: .counter32(7), previousUptime: nil, current: .counter64(9),
            currentUptime: nil, seconds: 5, rate: nil),
        Case(
            name: "clock did not advance", previous: .counter32(7), previousUptime: nil, current: .counter32(9),
            currentUptime: nil, seconds: 0, rate: nil),
        Case(
            name: "gauge has no rate", previous: .gauge32(7), previousUptime: nil, current: .gauge32(9),
            currentUptime: nil, seconds: 5, rate: nil),
    ]

    @Test(arguments: cases)
    func rate(_ testCase: Case) {
        var tracker = CounterRateTracker<String>(maxPlausibleRate: 1e10)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(tracker.record(testCase.previous, for: "item", at: start, uptime: testCase.previousUptime) == nil)
        let rate = tracker.record(
            testCase.current, for: "item", at: start.addingTimeInterval(testCase.seconds),
            uptime: testCase.currentUptime)
        #expect(rate == testCase.rate)
    }

    @Test func firstSampleHasNoRateAndKeysAreIndependent() {
        var tracker = CounterRateTracker<Int>()
        let start = Date(timeIntervalSince1970: 0)
        #expect(tracker.record(.counter32(10), for: 1, at: start) == nil)
        #expect(tracker.record(.counter32(99), for: 2, at: start) == nil)
        #expect(tracker.record(.counter32(20), for: 1, at: start.addingTimeInterval(1)) == 10)
        #expect(tracker.count == 2)
        tracker.remove(2)
        #expect(tracker.count == 1)
    }

    @Test func afterAResetTheNextSampleHasARateAgain() {
        var tracker = CounterRateTracker<Int>()
        let start = Date(timeIntervalSince1970: 0)
        _ = tracker.record(.counter64(1_000_000), for: 1, at: start, uptime: 5_000)
        #expect(tracker.record(.counter64(100), for: 1, at: start.addingTimeInterval(10), uptime: 10) == nil)
        #expect(tracker.record(.counter64(600), for: 1, at: start.addingTimeInterval(20), uptime: 1_010) == 50)
    }
}
