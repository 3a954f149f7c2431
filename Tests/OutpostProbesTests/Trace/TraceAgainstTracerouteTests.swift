import Foundation
import OutpostCore
import OutpostTestSupport
import Testing

@testable import OutpostProbes

extension Trait where Self == ConditionTrait {
    /// Needs `traceroute` and `mtr`, the references the trace engine is compared with.
    static var needsTraceroute: Self {
        .enabled(
            if: (try? Harness.path(of: "traceroute")) != nil && (try? Harness.path(of: "mtr")) != nil,
            "needs traceroute and mtr (apt-get install traceroute mtr-tiny)")
    }
}

/// Ground truth: a chain of namespace routers (``RouterChain``), traced by the engine and by
/// `traceroute -n` / `mtr --report -n` from the same namespace. The path is known by
/// construction: router 1, router 2 (silent), router 3, destination, and the TUN target behind it.
@Suite(
    "Trace engine against traceroute on a namespace router chain", .tags(.root, .netns, .timing),
    .needsQuietMachine, .needsNetworkNamespaces, .needsTraceroute)
struct TraceAgainstTracerouteTests {
    static let delay = Impairment(delay: .milliseconds(30), lossPercent: 10)

    static func configuration(_ probe: TraceConfiguration.ProbeProtocol, probes: Int = 3) throws -> TraceConfiguration {
        try TraceConfiguration(
            probeProtocol: probe, maxHops: 10, probesPerHop: probes, probeTimeout: .milliseconds(800), maxSilentHops: 3)
    }

    @Test(arguments: [TraceConfiguration.ProbeProtocol.icmp, .udp, .tcp])
    func ipv4HopsEqualTraceroute(_ probe: TraceConfiguration.ProbeProtocol) async throws {
        try await RouterChain.with { chain in
            let engine = try await chain.traceEngine()
            let result = try await engine.trace(to: chain.ipv4Destination, configuration: Self.configuration(probe))
            await engine.shutdown()
            let expected: [String?] = [chain.ipv4Hop(1), nil, chain.ipv4Hop(3), chain.ipv4Hop(4)]
            #expect(result.path == expected)
            #expect(result.ending == .reached)
            let flag = ["icmp": "-I", "udp": "-U", "tcp": "-T"][probe.rawValue]!
            let reference = try await chain.runInTracer(
                "traceroute", ["-n", flag, "-q", "3", "-w", "1", "-m", "10", chain.ipv4Destination])
            #expect(ReferenceTraceroute.hops(fromTraceroute: reference) == expected, "\(reference)")
            let last = try #require(result.hops.last)
            let expectedReply: TraceReplyKind =
                switch probe {
                case .icmp: .echoReply
                case .udp: .unreachable(code: 3)
                case .tcp: .tcpReset
                }
            #expect(last.probes.allSatisfy { $0.reply == expectedReply })
            #expect(result.hops[0].probes.allSatisfy { $0.reply == .timeExceeded })
        }
    }

    @Test(arguments: [TraceConfiguration.ProbeProtocol.icmp, .udp, .tcp])
    func ipv6HopsEqualTraceroute(_ probe: TraceConfiguration.ProbeProtocol) async throws {
        try await RouterChain.with { chain in
            let engine = try await chain.traceEngine()
            let result = try await engine.trace(to: chain.ipv6Destination, configuration: Self.configuration(probe))
            await engine.shutdown()
            let expected: [String?] = [chain.ipv6Hop(1), nil, chain.ipv6Hop(3), chain.ipv6Hop(4)]
            #expect(result.path == expected)
            #expect(result.ending == .reached)
            let flag = ["icmp": "-I", "udp": "-U", "tcp": "-T"][probe.rawValue]!
            let reference = try await chain.runInTracer(
                "traceroute", ["-6", "-n", flag, "-q", "3", "-w", "1", "-m", "10", chain.ipv6Destination])
            #expect(ReferenceTraceroute.hops(fromTraceroute: reference) == expected, "\(reference)")
        }
    }

    /// The TUN target answers after 30 ms and drops 10 %: five probes per hop, so a silent
    /// last hop (0.1⁵) does not happen in practice. No RTT of the last hop is below the injected
    /// delay; the upper bound is loose (+200 ms) because this suite runs beside others on a
    /// loaded machine (ImpairedLinkTests measures the engine's RTT accuracy in the quiet phase).
    @Test func delayedLossyHopMatchesTracerouteAndMTRAndTheInjectedDelay() async throws {
        try await ImpairedChain.with(impairment: Self.delay) { impaired in
            let chain = impaired.chain
            let engine = try await chain.traceEngine()
            let result = try await engine.trace(
                to: impaired.tunTarget, configuration: Self.configuration(.icmp, probes: 5))
            await engine.shutdown()
            let expected: [String?] = [chain.ipv4Hop(1), nil, chain.ipv4Hop(3), chain.ipv4Hop(4), impaired.tunTarget]
            #expect(result.path == expected)
            let rtts = try #require(result.hops.last).rttsMilliseconds
            #expect(!rtts.isEmpty)
            #expect(rtts.allSatisfy { $0 >= 30 }, "no answer before its injected delay: \(rtts)")
            #expect(rtts.allSatisfy { $0 < 30 + 200 }, "\(rtts)")
            let earlier = result.hops.dropLast().flatMap(\.rttsMilliseconds).sorted()
            #expect(earlier.count >= 6)
            #expect(earlier[earlier.count / 2] < 30, "the delay is at the last hop only: \(earlier)")
            let traceroute = try await chain.runInTracer(
                "traceroute", ["-n", "-I", "-q", "5", "-w", "1", "-m", "10", impaired.tunTarget])
            #expect(ReferenceTraceroute.hops(fromTraceroute: traceroute) == expected, "\(traceroute)")
            let mtr = try await chain.runInTracer(
                "mtr", ["--report", "-n", "-c", "5", "-i", "0.2", "-m", "10", impaired.tunTarget])
            #expect(ReferenceTraceroute.hops(fromMTR: mtr) == expected, "\(mtr)")
        }
    }

    /// A link cut mid-chain, silently (the destination's side goes down): router 3 is the last
    /// hop that answers, for the engine and for traceroute alike.
    @Test func cutLinkLeavesRouter3AsTheLastAnsweringHop() async throws {
        try await RouterChain.with { chain in
            try chain.cutLink(into: 4)
            let engine = try await chain.traceEngine()
            let result = try await engine.trace(to: chain.ipv4Destination, configuration: Self.configuration(.icmp))
            await engine.shutdown()
            let answering: [String?] = [chain.ipv4Hop(1), nil, chain.ipv4Hop(3)]
            #expect(Self.trimmed(result.path) == answering)
            #expect(result.ending == .silentHops)
            #expect(result.hops.count == 3 + 3, "three silent hops after router 3 end the trace")
            let reference = try await chain.runInTracer(
                "traceroute", ["-n", "-I", "-q", "3", "-w", "1", "-m", "10", chain.ipv4Destination])
            // Router 3 may also report the cut host unreachable once its neighbour entry fails,
            // at a later hop of traceroute's run: after router 3 only router 3 may answer.
            let referenceHops = ReferenceTraceroute.hops(fromTraceroute: reference)
            #expect(Self.trimmed(Array(referenceHops.prefix(3))) == answering, "\(reference)")
            #expect(referenceHops.dropFirst(3).allSatisfy { $0 == nil || $0 == chain.ipv4Hop(3) }, "\(reference)")
        }
    }

    /// A router that loses its route says so (net unreachable): the trace ends at it.
    @Test func withdrawnRouteEndsTheTraceAtTheRouterThatSaysSo() async throws {
        try await RouterChain.with { chain in
            try chain.withdrawRoute(into: 4)
            let engine = try await chain.traceEngine()
            let result = try await engine.trace(to: chain.ipv4Destination, configuration: Self.configuration(.icmp))
            await engine.shutdown()
            #expect(result.path == [chain.ipv4Hop(1), nil, chain.ipv4Hop(3)])
            #expect(result.ending == .reached)
            #expect(result.hops.last?.probes.allSatisfy { $0.reply == .unreachable(code: 0) } == true)
        }
    }

    /// `path` without its trailing silent hops.
    static func trimmed(_ path: [String?]) -> [String?] {
        Array(path.prefix(through: path.lastIndex { $0 != nil } ?? -1))
    }

    /// 20 traces at once (IPv4 and IPv6, three protocols) and 1,000 echo requests of a ping
    /// engine in the same namespace: every trace finds its path, every ping its reply, and
    /// neither engine counts a reply from a wrong source.
    @Test func concurrentTracesAndPingsDoNotMixReplies() async throws {
        try await RouterChain.with { chain in
            let tracer = try await chain.traceEngine()
            let pinger = try await chain.pingEngine()
            let ipv4: [String?] = [chain.ipv4Hop(1), nil, chain.ipv4Hop(3), chain.ipv4Hop(4)]
            let ipv6: [String?] = [chain.ipv6Hop(1), nil, chain.ipv6Hop(3), chain.ipv6Hop(4)]
            let protocols: [TraceConfiguration.ProbeProtocol] = [.icmp, .udp, .tcp]
            let pingTargets = [chain.ipv4Hop(1), chain.ipv4Hop(3), chain.ipv4Destination, chain.ipv6Destination]
            let pingConfiguration = try PingConfiguration(
                packetsPerRound: 50, packetInterval: .milliseconds(10), timeout: .seconds(1))
            let (traces, pings) = try await withThrowingTaskGroup(of: (TraceResult?, PingRoundResult?).self) { group in
                for index in 0..<20 {
                    let target = index % 2 == 0 ? chain.ipv4Destination : chain.ipv6Destination
                    let configuration = try Self.configuration(protocols[index % 3])
                    group.addTask { (try await tracer.trace(to: target, configuration: configuration), nil) }
                }
                for index in 0..<20 {
                    let target = try ICMPTest.target(pingTargets[index % pingTargets.count])
                    group.addTask { (nil, await pinger.round(target: target, configuration: pingConfiguration)) }
                }
                var traces: [TraceResult] = []
                var pings: [PingRoundResult] = []
                for try await (trace, ping) in group {
                    if let trace { traces.append(trace) }
                    if let ping { pings.append(ping) }
                }
                return (traces, pings)
            }
            let counters = pinger.counters
            await tracer.shutdown()
            await pinger.shutdown()
            #expect(traces.count == 20)
            for trace in traces {
                #expect(
                    trace.path == (trace.target.contains(":") ? ipv6 : ipv4), "\(trace.probeProtocol) \(trace.target)")
            }
            #expect(pings.reduce(0) { $0 + $1.packetsSent } == 1_000)
            #expect(pings.reduce(0) { $0 + $1.packetsReceived } == 1_000)
            #expect(counters.wrongSource == 0)
            #expect(counters.late == 0)
        }
    }
}
