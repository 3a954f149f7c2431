import Foundation
import OutpostCore
import OutpostProbes
import OutpostTestSupport
import Testing

/// The engine's send rate changed while it runs, measured against loopback. Bounds are
/// generous: a lower bound on elapsed time follows from the token bucket whatever the load;
/// the upper bounds only tell a changed rate from an unchanged one by a wide margin.
@Suite(
    "ICMP engine send rate changed at run time", .tags(.root, .timing), .needsRoot, .needsQuietMachine)
struct SendRateChangeTests {
    private static let oneShot = try! PingConfiguration(
        packetsPerRound: 1, packetInterval: .zero, timeout: .milliseconds(500), roundInterval: .seconds(1))

    /// Starts one round per address without waiting and returns when all completed.
    private static func pingAll(_ engine: ICMPEngine, _ count: Int, subnet: Int) async throws -> [PingRoundResult] {
        let addresses = (0..<count).map { "127.\(subnet).\($0 / 250).\($0 % 250 + 1)" }
        return try await ICMPTest.rounds(engine, addresses, oneShot)
    }

    @Test func aLowerRateSlowsTheRoundsDown() async throws {
        let engine = try ICMPTest.engine(maxPacketsPerSecond: 100_000)
        engine.setMaxPacketsPerSecond(200)
        #expect(engine.maxPacketsPerSecond == 200)
        let clock = ContinuousClock()
        let started = clock.now
        let results = try await Self.pingAll(engine, 300, subnet: 31)
        let elapsed = clock.now - started
        await engine.shutdown()
        #expect(results.allSatisfy { $0.packetsReceived == 1 })
        // 300 requests at 200/s after a bucket of 2: at least 1.49 s.
        #expect(elapsed >= .milliseconds(1_450), "\(elapsed)")
        #expect(elapsed < .seconds(15), "\(elapsed)")
    }

    @Test func raisingTheRateReleasesQueuedRoundsAtTheNewPace() async throws {
        let engine = try ICMPTest.engine(maxPacketsPerSecond: 50)
        let clock = ContinuousClock()
        let started = clock.now
        // 1,000 rounds queued at 50/s would take 20 s; after ~0.5 s the rate goes to 100,000/s.
        async let results = Self.pingAll(engine, 1_000, subnet: 32)
        try await Task.sleep(for: .milliseconds(500))
        let sentBefore = engine.counters.sent
        engine.setMaxPacketsPerSecond(100_000)
        let all = try await results
        let elapsed = clock.now - started
        let overrun = engine.roundsOverrun
        await engine.shutdown()
        #expect(sentBefore < 100, "\(sentBefore) sent at 50/s in about 0.5 s")
        #expect(all.count == 1_000 && all.allSatisfy { $0.packetsReceived == 1 })
        #expect(elapsed < .seconds(10), "\(elapsed): the queue was not released at the new rate")
        #expect(overrun == 0, "no round waited beyond 1.5 s once the rate was raised")
    }

    @Test func roundsWaitingBeyondTheirBudgetCountAsOverrun() async throws {
        let engine = try ICMPTest.engine(maxPacketsPerSecond: 100)
        let results = try await Self.pingAll(engine, 300, subnet: 33)
        let overrun = engine.roundsOverrun
        await engine.shutdown()
        #expect(results.count == 300)
        // Round n completes after about n / 100 s; its budget is 0.5 s + 1 s, so at least the
        // 149 sent 1.51 s or more after the start (the bucket holds one token) count, whatever the load.
        #expect(overrun >= 140 && overrun <= 300, "\(overrun)")
    }
}
