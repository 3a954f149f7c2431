import Foundation
import OutpostCore
import OutpostProbes
import OutpostTestSupport
import Testing

@Suite("ICMP engine on loopback", .tags(.root), .needsRoot, .needsFping)
struct LoopbackPingTests {
    @Test func hundredsOfLoopbackTargetsAgreeWithFping() async throws {
        let addresses = (0..<300).map { "127.2.\($0 / 200).\($0 % 200 + 1)" }
        let engine = try ICMPTest.engine()
        let configuration = try PingConfiguration(
            packetsPerRound: 3, packetInterval: .milliseconds(10), timeout: .seconds(1))
        let results = try await ICMPTest.rounds(engine, addresses, configuration)
        let counters = engine.counters
        await engine.shutdown()

        #expect(results.count == 300)
        #expect(Set(results.map(\.deviceIP)) == Set(addresses), "every result names its own target")
        for result in results {
            #expect(
                result.packetsSent == 3 && result.packetsReceived == 3 && result.lossPercent == 0 && result.isReachable)
            let (minimum, average, maximum) = (
                try #require(result.minRTT), try #require(result.avgRTT), try #require(result.maxRTT)
            )
            #expect(minimum > 0 && minimum <= average && average <= maximum && maximum < 1_000)
        }
        #expect(counters.sent == 900 && counters.received == 900)
        #expect(
            counters.duplicates == 0 && counters.late == 0 && counters.wrongSource == 0 && counters.unreachable == 0)

        let fping = try await Fping.run(
            targets: addresses, count: 3, periodMilliseconds: 10, timeoutMilliseconds: 1_000)
        #expect(fping.count == 300)
        #expect(fping.values.allSatisfy { $0.count == 3 && $0.allSatisfy { $0 != nil } }, "fping also sees no loss")
    }

    @Test("thousands of requests sent and read in batches are each counted once, for their own round")
    func batchedRequestsAndRepliesAreCountedExactly() async throws {
        let addresses = (0..<2_000).map { "127.7.\($0 / 200).\($0 % 200 + 1)" }
        let engine = try ICMPTest.engine()
        let configuration = try PingConfiguration(packetsPerRound: 2, packetInterval: .zero, timeout: .seconds(5))
        // One batch: handed to the engine together, returned together.
        let results = await engine.rounds(targets: try addresses.map(ICMPTest.target), configuration: configuration)
        let counters = engine.counters
        await engine.shutdown()

        #expect(results.count == 2_000)
        #expect(Set(results.map(\.deviceIP)) == Set(addresses), "every round reports its own target")
        #expect(results.allSatisfy { $0.packetsSent == 2 && $0.packetsReceived == 2 })
        #expect(counters.sent == 4_000 && counters.received == 4_000 && counters.sendFailures == 0)
        #expect(counters.duplicates == 0 && counters.late == 0 && counters.wrongSource == 0)
    }

    @Test("a batch of no rounds returns at once; a batch on a stopped engine reports every round as unsent")
    func batchesAtTheEdges() async throws {
        let engine = try ICMPTest.engine()
        let configuration = try PingConfiguration(packetsPerRound: 1, packetInterval: .zero)
        #expect(await engine.rounds(targets: [], configuration: configuration).isEmpty)
        await engine.shutdown()
        let targets = try (1...3).map { try ICMPTest.target("127.7.20.\($0)") }
        let results = await engine.rounds(targets: targets, configuration: configuration)
        #expect(Set(results.map(\.deviceID)) == Set(targets.map(\.deviceID)))
        #expect(results.allSatisfy { $0.packetsSent == 0 && $0.packetsReceived == 0 })
    }

    @Test func ipv6LoopbackAnswers() async throws {
        let engine = try ICMPTest.engine()
        let result = await engine.round(
            target: try ICMPTest.target("::1"), configuration: try PingConfiguration(packetInterval: .milliseconds(10)))
        await engine.shutdown()
        #expect(result.deviceIP == "::1")
        #expect(result.packetsSent == 3 && result.packetsReceived == 3)
    }

    @Test func twoEnginesOnOneHostKeepTheirOwnReplies() async throws {
        let addresses = (1...100).map { "127.4.0.\($0)" }
        let configuration = try PingConfiguration(
            packetsPerRound: 5, packetInterval: .milliseconds(5), timeout: .seconds(1))
        let first = try ICMPTest.engine()
        let second = try ICMPTest.engine()
        async let firstResults = ICMPTest.rounds(first, addresses, configuration)
        async let secondResults = ICMPTest.rounds(second, addresses, configuration)
        let results = try await firstResults + secondResults
        let counters = [first.counters, second.counters]
        await first.shutdown()
        await second.shutdown()
        #expect(results.allSatisfy { $0.packetsReceived == 5 })
        for engineCounters in counters {
            #expect(engineCounters.received == 500)
            #expect(
                engineCounters.wrongSource == 0 && engineCounters.duplicates == 0 && engineCounters.late == 0,
                "raw sockets see the other engine's replies; identifier and cookie must filter them")
        }
    }

    @Test func globalSendRateLimitSpacesRequests() async throws {
        // 200 packets/s, bucket of 2: 100 requests cannot leave in less than (100 - 2) / 200 s.
        let engine = try ICMPTest.engine(maxPacketsPerSecond: 200)
        let configuration = try PingConfiguration(packetsPerRound: 1, timeout: .seconds(2))
        let start = ContinuousClock.now
        let results = try await ICMPTest.rounds(engine, (1...100).map { "127.5.0.\($0)" }, configuration)
        let elapsed = ContinuousClock.now - start
        await engine.shutdown()
        #expect(results.allSatisfy { $0.packetsReceived == 1 })
        #expect(elapsed >= .milliseconds(490))
    }

    @Test func roundsAfterShutdownReportNothingSent() async throws {
        let engine = try ICMPTest.engine()
        await engine.shutdown()
        let result = await engine.round(
            target: try ICMPTest.target("127.0.0.1"), configuration: try PingConfiguration())
        #expect(result.packetsSent == 0 && !result.isReachable && result.lossPercent == 100)
    }
}
