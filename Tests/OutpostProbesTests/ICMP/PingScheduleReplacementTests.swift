import Foundation
import OutpostCore
import OutpostProbes
import OutpostTestSupport
import Testing

@Suite("Ping schedule: replacing the devices in place", .tags(.root, .timing), .needsQuietMachine, .needsRoot)
struct PingScheduleReplacementTests {
    @Test(
        "a removed device's round in flight is still reported, a kept device keeps its timing, an added one starts at once"
    )
    func replacementKeepsRoundsInFlight() async throws {
        let engine = try ICMPTest.engine()
        // One request per round, every second.
        let quick = try PingConfiguration(
            packetsPerRound: 1, packetInterval: .zero, timeout: .milliseconds(200), roundInterval: .seconds(1))
        // Three requests 300 ms apart: a round is in flight for over 600 ms.
        let slow = try PingConfiguration(
            packetsPerRound: 3, packetInterval: .milliseconds(300), timeout: .milliseconds(200),
            roundInterval: .seconds(1))
        let kept = PingDevice(target: try ICMPTest.target("127.6.1.1"), configuration: quick)
        let removed = PingDevice(target: try ICMPTest.target("127.6.1.2"), configuration: slow)
        let added = PingDevice(target: try ICMPTest.target("127.6.1.3"), configuration: quick)

        // Devices added to a running schedule start at once (no spread): both first rounds start now.
        let schedule = PingScheduler(engine: engine, devices: [], addedDeviceSpread: .zero).start()
        schedule.replaceDevices([kept, removed])
        // Both first requests are out; the slow round has two more to send over 600 ms.
        let deadline = Date().addingTimeInterval(5)
        while engine.counters.sent < 2 && Date() < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(engine.counters.sent == 2, "the two first rounds started")
        let replacedAt = Date()
        schedule.replaceDevices([kept, added])

        var rounds: [DeviceID: [(result: PingRoundResult, arrival: Date)]] = [:]
        for await result in schedule.results {
            rounds[result.deviceID, default: []].append((result, Date()))
            // Four rounds of the kept device: 3 s, past the removed device's next due round.
            if rounds[kept.target.deviceID, default: []].count >= 4 { break }
        }
        await engine.shutdown()

        let removedRounds = rounds[removed.target.deviceID] ?? []
        #expect(removedRounds.count == 1, "the removed device starts no further round")
        if let round = removedRounds.first {
            #expect(
                round.result.timestamp < replacedAt && round.arrival > replacedAt,
                "the round was in flight across the replacement")
            #expect(
                round.result.packetsSent == 3 && round.result.packetsReceived == 3,
                "the whole round was reported: \(round.result)")
        }
        let addedRounds = rounds[added.target.deviceID] ?? []
        #expect(addedRounds.count >= 2)
        if let first = addedRounds.first {
            let delay = first.result.timestamp.timeIntervalSince(replacedAt)
            #expect(delay >= 0 && delay < 0.5, "the added device starts at once: \(delay) s")
        }
        // Restarting the kept device would have started a round right at the replacement,
        // a few milliseconds after its first one.
        let keptStarts = (rounds[kept.target.deviceID] ?? []).map(\.result.timestamp)
        let gaps = zip(keptStarts.dropFirst(), keptStarts).map { $0.timeIntervalSince($1) }
        // Each round within 0.1 s (an eighth of the slack) of its 1 s grid: gaps of 0.8–1.2 s.
        #expect(
            gaps.count == 3 && gaps.allSatisfy { $0 > 0.75 && $0 < 1.5 },
            "the kept device keeps its 1 s rhythm: \(gaps)")
        #expect(rounds.values.joined().allSatisfy { $0.result.packetsReceived == $0.result.packetsSent })
    }

    @Test("a large addition is spread over what the send rate allows, so no first round overruns")
    func largeAdditionIsSpreadToFitTheRate() async throws {
        // 1,000 one-request rounds at 200 requests/s: they need 5 s. Started within the 2 s
        // spread they would queue behind the rate limit and the later ones would overrun.
        let engine = try ICMPTest.engine(maxPacketsPerSecond: 200)
        let configuration = try PingConfiguration(
            packetsPerRound: 1, packetInterval: .zero, timeout: .milliseconds(500), roundInterval: .seconds(30))
        let devices = try (0..<1_000).map {
            PingDevice(
                target: try ICMPTest.target("127.6.\(10 + $0 / 250).\($0 % 250 + 1)"), configuration: configuration)
        }
        // No jitter: the first rounds fall within the window alone.
        let schedule = PingScheduler(engine: engine, devices: [], jitterFraction: 0).start()
        let addedAt = Date()
        schedule.replaceDevices(devices)
        var firstRounds: [DeviceID: PingRoundResult] = [:]
        for await result in schedule.results where firstRounds[result.deviceID] == nil {
            firstRounds[result.deviceID] = result
            if firstRounds.count == devices.count { break }
        }
        let overrun = engine.roundsOverrun
        await engine.shutdown()

        #expect(firstRounds.values.allSatisfy { $0.packetsReceived == 1 })
        #expect(overrun == 0, "no first round waited beyond its budget")
        // The window is 1,000 × 1.25 / 200 = 6.25 s: the last first round starts well after 2 s.
        let lastStart = firstRounds.values.map { $0.timestamp.timeIntervalSince(addedAt) }.max() ?? 0
        #expect(lastStart > 4 && lastStart < 6.5, "first rounds spread over \(lastStart) s")
    }
}
