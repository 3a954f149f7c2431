import Foundation
import OutpostCore
import OutpostProbes

#if canImport(Glibc)
    import Glibc
#endif

/// A chain of network namespaces acting as routers, for traces with a known path:
///
///     tracer ── router 1 ── router 2 (silent) ── router 3 ── destination [── extra /24]
///
/// Every link carries IPv4 (a /24 from ``TestNetwork``) and IPv6 (a /64 in fd00::/8), forwarding
/// is on and ICMP rate limits are off. Router 2 forwards but sends nothing to the tracer: its own
/// packets towards the tracer are blackholed by a policy rule (`iif lo`), so its time exceeded
/// messages never arrive, as behind a firewall that drops them. An optional extra /24 is routed
/// through the chain to the destination, for a device (a TUN responder) one hop further.
public final class RouterChain: Sendable {
    /// tracer, router 1...3, destination; `nodes[k]` reaches `nodes[k - 1]` through its own link.
    public let nodes: [NetworkNamespace]
    let ipv6Prefixes: [String]
    /// The /24 routed to the destination, when asked for ("198.18.7").
    public let extraPrefix: String?
    /// The index of the silent router in ``nodes``.
    public static let silentNode = 2

    public var tracer: NetworkNamespace { nodes[0] }

    /// The IPv4 address that answers for hop `hop` (1...4): the router's side of its link.
    public func ipv4Hop(_ hop: Int) -> String { "\(nodes[hop].linkPrefix).2" }
    /// The IPv6 address that answers for hop `hop` (1...4).
    public func ipv6Hop(_ hop: Int) -> String { "\(ipv6Prefixes[hop])::2" }
    /// The destination's IPv4 address (hop 4).
    public var ipv4Destination: String { ipv4Hop(4) }
    /// The destination's IPv6 address (hop 4).
    public var ipv6Destination: String { ipv6Hop(4) }

    /// Builds the chain; with `extraPrefix`, that /24 is routed to the destination (see ``attach(_:)``).
    public init(extraPrefix: Bool = false) throws {
        var nodes: [NetworkNamespace] = []
        var prefixes: [String] = []
        let tag = String(getpid() % 0xFFFF, radix: 16)
        do {
            nodes.append(try NetworkNamespace())
            prefixes.append("")
            for index in 1...4 {
                nodes.append(try NetworkNamespace(parent: nodes[index - 1]))
                prefixes.append("fd00:\(tag):\(String(TestNetwork.nextIndex() % 0xFFFF, radix: 16)):\(index)")
            }
        } catch {
            for node in nodes { node.close() }
            throw error
        }
        self.nodes = nodes
        ipv6Prefixes = prefixes
        self.extraPrefix = extraPrefix ? TestNetwork.uniquePrefix() : nil
        do {
            try configure()
        } catch {
            close()
            throw error
        }
    }

    private func configure() throws {
        for index in 1...4 {
            let node = nodes[index]
            try node.sysctl("net.ipv6.conf.all.forwarding=1")
            try node.sysctl("net.ipv6.icmp.ratelimit=0")
            try node.outside(["-6", "addr", "add", "\(ipv6Prefixes[index])::1/64", "dev", node.rootInterface, "nodad"])
            try node.inside(["-6", "addr", "add", "\(ipv6Prefixes[index])::2/64", "dev", node.innerInterface, "nodad"])
        }
        try tracer.sysctl("net.ipv6.icmp.ratelimit=0")
        // Bursts of traces make a router send hundreds of ICMP errors at once: no global limit.
        for node in nodes { try node.sysctl("net.ipv4.icmp_msgs_burst=100000") }
        // Towards the far end: every node routes the prefixes beyond its next link via the next node.
        for index in 0...3 {
            let next = nodes[index + 1]
            for far in (index + 2)..<5 {
                try nodes[index].inside([
                    "route", "add", "\(nodes[far].linkPrefix).0/24", "via", "\(next.linkPrefix).2",
                ])
                try nodes[index].inside([
                    "-6", "route", "add", "\(ipv6Prefixes[far])::/64", "via", "\(ipv6Prefixes[index + 1])::2",
                ])
            }
            if let extraPrefix {
                try nodes[index].inside(["route", "add", "\(extraPrefix).0/24", "via", "\(next.linkPrefix).2"])
            }
        }
        // Back towards the tracer's link.
        for index in 2...4 {
            try nodes[index].inside([
                "route", "add", "\(nodes[1].linkPrefix).0/24", "via", "\(nodes[index].linkPrefix).1",
            ])
            try nodes[index].inside([
                "-6", "route", "add", "\(ipv6Prefixes[1])::/64", "via", "\(ipv6Prefixes[index])::1",
            ])
        }
        let silent = nodes[Self.silentNode]
        try silent.inside(["rule", "add", "iif", "lo", "to", "\(nodes[1].linkPrefix).0/24", "blackhole"])
        try silent.inside(["-6", "rule", "add", "iif", "lo", "to", "\(ipv6Prefixes[1])::/64", "blackhole"])
    }

    /// Moves `interface` (created in the root namespace, e.g. a TUN device) into the destination
    /// and routes the extra /24 to it.
    public func attach(_ interface: String) throws {
        guard let extraPrefix else { throw TestEnvironmentError("the chain has no extra prefix") }
        let destination = nodes[4]
        try BlockingCommand.run("ip", ["link", "set", interface, "netns", destination.name])
        try destination.inside(["link", "set", interface, "up"])
        try destination.inside(["route", "add", "\(extraPrefix).0/24", "dev", interface])
    }

    /// Cuts the link into `node` on the far side: the router before it still routes into the
    /// link and gets no answer, so the path goes silent after it (as when a cable is pulled).
    public func cutLink(into node: Int) throws {
        try nodes[node].inside(["link", "set", nodes[node].innerInterface, "down"])
    }

    /// Takes the router before `node` off the link into it: it loses its routes through it and
    /// answers "net unreachable" (the kernel sends at most 5 such errors per destination in a
    /// burst, then one per second).
    public func withdrawRoute(into node: Int) throws {
        try nodes[node].outside(["link", "set", nodes[node].rootInterface, "down"])
    }

    /// Pings the destination over IPv4 and IPv6 from the tracer until it answers, so neighbour
    /// discovery along the path is done before a test compares traces (a fresh IPv6 link drops
    /// or delays the first packets while it resolves neighbours).
    public func warmUp() async throws {
        let engine = try await tracer.run {
            try ICMPEngine(configuration: .init(socketMode: .raw, maxPacketsPerSecond: 1_000))
        }
        let configuration = try PingConfiguration(packetsPerRound: 1, timeout: .seconds(1))
        var unreachable: String?
        for address in [ipv4Destination, ipv6Destination] where unreachable == nil {
            let target = try PingTarget(deviceID: DeviceID(UUID()), address: address)
            var answered = false
            for _ in 0..<10 where !answered {
                answered = await engine.round(target: target, configuration: configuration).packetsReceived > 0
            }
            if !answered { unreachable = address }
        }
        await engine.shutdown()
        if let unreachable { throw TestEnvironmentError("the chain does not reach \(unreachable)") }
    }

    /// Runs `tool` with `arguments` inside the tracer's namespace; returns its standard output.
    public func runInTracer(_ tool: String, _ arguments: [String]) async throws -> String {
        let launcher = try tracer.launcher() + [try Harness.path(of: tool)] + arguments
        let output = try await Command.run(launcher[0], Array(launcher.dropFirst()), timeLimit: .seconds(60))
        guard output.status == 0 else {
            throw TestEnvironmentError("\(tool) \(arguments) exited \(output.status): \(output.combined)")
        }
        return output.standardOutput
    }

    /// A trace engine whose sockets live in the tracer's namespace.
    public func traceEngine(maxPacketsPerSecond: Int = 10_000) async throws -> TraceEngine {
        try await tracer.run { try TraceEngine(configuration: .init(maxPacketsPerSecond: maxPacketsPerSecond)) }
    }

    /// Deletes the namespaces.
    public func close() {
        for node in nodes.reversed() { node.close() }
    }
}
