import Foundation
import OutpostCore
import OutpostProbes
import OutpostTestSupport
import Testing

@Suite("Ping scheduler", .tags(.root, .timing), .needsQuietMachine, .needsRoot)
struct PingSchedulerTests {
    @Test func roundsRepeatPerDeviceSpreadOverTheInterval() async throws {
        let engine = try ICMPTest.engine()
        let configuration = try PingConfiguration(
            packetsPerRound: 1, packetInterval: .zero, timeout: .milliseconds(200), roundInterval: .seconds(1))
        let devices = try (1...40).map {
            PingDevice(target: try ICMPTest.target("127.6.0.\($0)"), configuration: configuration)
        }
        var rounds: [DeviceID: [PingRoundResult]] = [:]
        for await result in PingScheduler(engine: engine, devices: devices).results() {
            rounds[result.deviceID, default: []].append(result)
            if rounds.count == devices.count && rounds.values.allSatisfy({ $0.count >= 2 }) { break }
        }
        await engine.shutdown()

        #expect(rounds.count == 40)
        #expect(rounds.values.joined().allSatisfy { $0.packetsReceived == 1 })
        let firstStarts = rounds.values.map { $0[0].timestamp.timeIntervalSinceReferenceDate }
        // Uniform phases over 1 s: 40 of them all within 0.25 s has probability ≈ 40 · 0.25³⁹;
        // unspread rounds would all start within milliseconds. (0.25, not 0.5: on a loaded
        // 2-core machine late starts compress the observed spread.)
        #expect(firstStarts.max()! - firstStarts.min()! > 0.25, "first rounds are spread over the interval")
        // Each round within an eighth of the 0.8 s slack of its point on a 1 s grid, so two
        // rounds are 0.8–1.2 s apart; a late start (a busy test machine) only widens a gap.
        let gaps = rounds.values.map { $0[1].timestamp.timeIntervalSince($0[0].timestamp) }
        #expect(gaps.allSatisfy { $0 > 0.75 }, "rounds of one device never come early or overlap: \(gaps.min()!)")
        let meanGap = gaps.reduce(0, +) / Double(gaps.count)
        #expect(meanGap > 0.9 && meanGap < 1.3, "rounds repeat at the interval on average: \(meanGap)")
    }
}
