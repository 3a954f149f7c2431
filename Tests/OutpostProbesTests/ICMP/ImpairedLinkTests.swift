import Foundation
import OutpostCore
import OutpostProbes
import OutpostTestSupport
import Testing

/// Ground truth: a namespace behind a veth pair whose TUN device answers with
/// netem's `delay 50ms 5ms loss 20% duplicate 10%`, applied and logged by the test itself.
///
/// Tolerances (N = 10 targets × 40 packets = 400 requests per tool):
/// - Loss is binomial(400, 0.2): σ = √(400·0.2·0.8)/400 = 2 percentage points; each tool's loss
///   must lie within 20 ± 8 pp (4σ, false failure ≈ 6·10⁻⁵), and the two tools within 11.3 pp of
///   each other (4σ of the difference of two independent samples, σ = 2.83 pp).
/// - The engine's received count and duplicate count must equal the responder's ledger exactly.
/// - RTT: no reply can come before its injected delay (≥ 45 ms). The engine's pooled mean RTT
///   exceeds the mean injected delay by 0...3 ms: the responder wakes on millisecond poll
///   timeouts (up to +1 ms), the rest is the veth/TUN path and thread wake-ups on a loaded
///   2-core machine (measured +0.7...1.8 ms at load 7). fping's mean must agree with the engine's within 3 ms. The per-round
///   standard deviation of uniform ±5 ms is 10/√12 = 2.9 ms; the mean over rounds must lie in 2...4.5 ms.
@Suite(
    "ICMP engine against an impaired link, with fping on the same targets", .tags(.root, .netns, .timing),
    .needsQuietMachine, .needsNetworkNamespaces, .needsFping)
struct ImpairedLinkTests {
    static let impairment = Impairment(
        delay: .milliseconds(50), jitter: .milliseconds(5), lossPercent: 20, duplicatePercent: 10)

    @Test func lossDelayAndDuplicatesMatchGroundTruthAndFping() async throws {
        try await ImpairedLink.with(impairment: { _ in Self.impairment }) { try await check($0) }
    }

    private func check(_ link: ImpairedLink) async throws {
        let addresses = (10..<20).map(link.address)
        let packets = 40
        let engine = try ICMPTest.engine()
        let configuration = try PingConfiguration(
            packetsPerRound: packets, packetInterval: .milliseconds(20), timeout: .seconds(1))
        let results = try await ICMPTest.rounds(engine, addresses, configuration)
        // Duplicates trail their original by microseconds; one more round through the loop settles them.
        _ = await engine.round(
            target: try ICMPTest.target("127.0.0.1"), configuration: try PingConfiguration(packetsPerRound: 1))
        let counters = engine.counters
        await engine.shutdown()
        let engineTruth = link.responder.takeLedger()

        let sent = results.reduce(0) { $0 + $1.packetsSent }
        let received = results.reduce(0) { $0 + $1.packetsReceived }
        #expect(sent == 400 && engineTruth.requests == 400, "every request reached the responder")
        #expect(received == engineTruth.requests - engineTruth.dropped, "received = answered, exactly")
        #expect(counters.duplicates == engineTruth.duplicated, "duplicates counted, exactly, and not as received")
        #expect(counters.late == 0 && counters.wrongSource == 0)
        let engineLoss = Double(sent - received) * 100 / Double(sent)
        #expect(abs(engineLoss - 20) <= 8, "engine loss \(engineLoss)%")

        let injectedMean = engineTruth.delaysMilliseconds.reduce(0, +) / Double(engineTruth.delaysMilliseconds.count)
        let engineMean = try #require(ICMPTest.pooledMeanRTT(results))
        #expect(results.allSatisfy { ($0.minRTT ?? 0) >= 45 }, "no reply before its injected delay")
        #expect(
            engineMean - injectedMean >= 0 && engineMean - injectedMean <= 3,
            "engine mean \(engineMean) ms vs injected \(injectedMean) ms")
        let meanDeviation = results.compactMap(\.stddevRTT).reduce(0, +) / Double(results.count)
        #expect((2.0...4.5).contains(meanDeviation), "jitter \(meanDeviation) ms")

        let fping = try await Fping.run(
            targets: addresses, count: packets, periodMilliseconds: 20, timeoutMilliseconds: 1_000)
        let fpingTruth = link.responder.takeLedger()
        let fpingProbes = fping.values.flatMap { $0 }
        let fpingRTTs = fpingProbes.compactMap { $0 }
        #expect(fpingProbes.count == 400 && fpingTruth.requests == 400)
        let fpingLoss = Double(fpingProbes.count - fpingRTTs.count) * 100 / Double(fpingProbes.count)
        #expect(abs(fpingLoss - 20) <= 8, "fping loss \(fpingLoss)%")
        #expect(abs(fpingLoss - engineLoss) <= 11.3, "engine \(engineLoss)% vs fping \(fpingLoss)%")
        let fpingMean = fpingRTTs.reduce(0, +) / Double(fpingRTTs.count)
        #expect(abs(fpingMean - engineMean) <= 3, "engine \(engineMean) ms vs fping \(fpingMean) ms")
    }

    @Test func wrongSourceLateAndDuplicateRepliesAreCountedExactly() async throws {
        let impairment: @Sendable (UInt8) -> Impairment = { octet in
            switch octet {
            case 20: Impairment(sourceOffset: 1)
            case 30: Impairment(delay: .milliseconds(500))
            case 31: Impairment(delay: .milliseconds(600))
            case 50: Impairment(duplicatePercent: 100)
            default: Impairment()
            }
        }
        try await ImpairedLink.with(impairment: impairment) { try await checkAnomalies($0) }
    }

    private func checkAnomalies(_ link: ImpairedLink) async throws {
        let engine = try ICMPTest.engine()
        let five = try PingConfiguration(
            packetsPerRound: 5, packetInterval: .milliseconds(10), timeout: .milliseconds(200))
        async let wrongSource = engine.round(target: try ICMPTest.target(link.address(20)), configuration: five)
        async let late = engine.round(target: try ICMPTest.target(link.address(30)), configuration: five)
        async let duplicated = engine.round(target: try ICMPTest.target(link.address(50)), configuration: five)
        // Its reply is written after every late one to .30, on the same path: when this round
        // ends, the late replies have been read.
        async let trailing = engine.round(
            target: try ICMPTest.target(link.address(31)),
            configuration: try PingConfiguration(packetsPerRound: 1, timeout: .seconds(2))
        )
        let results = try await [wrongSource, late, duplicated, trailing]
        let counters = engine.counters
        await engine.shutdown()

        #expect(
            results[0].packetsReceived == 0 && results[0].lossPercent == 100, "a reply from another host is no reply")
        #expect(results[1].packetsReceived == 0 && !results[1].isReachable, "replies after the timeout are lost")
        #expect(
            results[2].packetsReceived == 5 && results[2].packetsSent == 5, "duplicates are not counted as received")
        #expect(results[3].packetsReceived == 1)
        #expect(counters.wrongSource == 5)
        #expect(counters.late == 5)
        #expect(counters.duplicates == 5)
        #expect(counters.received == 6 && counters.sent == 16)
    }
}
