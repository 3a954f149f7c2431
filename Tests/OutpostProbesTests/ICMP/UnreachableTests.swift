import Foundation
import OutpostCore
import OutpostProbes
import OutpostTestSupport
import Testing

@Suite("ICMP errors from an unreachable prefix", .tags(.root, .netns), .needsNetworkNamespaces, .needsFping)
struct UnreachableTests {
    @Test func hostUnreachableEndsTheProbeAndIsCounted() async throws {
        let namespace = try NetworkNamespace()
        let prefix = TestNetwork.uniquePrefix()
        do {
            try namespace.routeIntoNamespace("\(prefix).0/24")
            try namespace.inside(["route", "add", "unreachable", "\(prefix).0/24"])
            let engine = try ICMPTest.engine()
            // A long timeout: only the ICMP errors can end this round soon.
            let configuration = try PingConfiguration(
                packetsPerRound: 3, packetInterval: .milliseconds(20), timeout: .seconds(30),
                roundInterval: .seconds(60))
            let result = await engine.round(target: try ICMPTest.target("\(prefix).9"), configuration: configuration)
            let counters = engine.counters
            await engine.shutdown()
            #expect(
                result.packetsSent == 3 && result.packetsReceived == 0 && result.lossPercent == 100
                    && !result.isReachable)
            #expect(result.minRTT == nil && result.avgRTT == nil && result.stddevRTT == nil)
            #expect(counters.unreachable == 3 && counters.received == 0)

            let fping = try await Fping.run(
                targets: ["\(prefix).9"], count: 3, periodMilliseconds: 20, timeoutMilliseconds: 500)
            #expect(fping["\(prefix).9"]?.allSatisfy { $0 == nil } == true, "fping agrees: nothing answers")
        } catch {
            namespace.close()
            throw error
        }
        namespace.close()
    }
}
