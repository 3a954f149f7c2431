/// How a trace probes the path: protocol, hop range, probes per hop and when it gives up.
public struct TraceConfiguration: Sendable, Hashable {
    /// What a probe is.
    public enum ProbeProtocol: String, Sendable, Hashable, CaseIterable, Codable {
        /// ICMP echo requests (as `traceroute -I`, `mtr`).
        case icmp
        /// UDP datagrams to high ports, one port per probe (as `traceroute`).
        case udp
        /// TCP SYN to ``TraceConfiguration/port`` (as `traceroute -T`).
        case tcp
    }

    /// What a probe is (default ICMP echo).
    public var probeProtocol: ProbeProtocol
    /// The highest TTL / hop limit probed, 1...64 (default 30).
    public var maxHops: Int
    /// Probes per hop, 1...10 (default 3).
    public var probesPerHop: Int
    /// How long a probe waits for its answer.
    public var probeTimeout: Duration
    /// The trace stops after this many consecutive hops answer none of their probes, 1...64 (default 5).
    public var maxSilentHops: Int
    /// Hops probed at once ahead of the first hop still waiting for answers, 1...64 (default 8:
    /// a path of up to 8 hops takes one round trip, with 24 probes at 3 per hop).
    public var parallelHops: Int
    /// The destination port of TCP probes (default 80); UDP probes use 33434 and up.
    public var port: UInt16

    /// The accepted range of ``maxHops``.
    public static let maxHopsRange = 1...64
    /// The accepted range of ``probesPerHop``.
    public static let probesPerHopRange = 1...10
    /// The accepted range of ``probeTimeout``.
    public static let probeTimeoutRange = Duration.milliseconds(10)...Duration.seconds(10)
    /// The accepted range of ``maxSilentHops`` and ``parallelHops``.
    public static let hopWindowRange = 1...64

    /// Creates a configuration.
    /// - Throws: ``TraceError/invalidConfiguration(_:)`` when a value is out of its range.
    public init(
        probeProtocol: ProbeProtocol = .icmp, maxHops: Int = 30, probesPerHop: Int = 3,
        probeTimeout: Duration = .seconds(2), maxSilentHops: Int = 5, parallelHops: Int = 8, port: UInt16 = 80
    ) throws(TraceError) {
        guard Self.maxHopsRange.contains(maxHops) else {
            throw .invalidConfiguration("maxHops \(maxHops) outside \(Self.maxHopsRange)")
        }
        guard Self.probesPerHopRange.contains(probesPerHop) else {
            throw .invalidConfiguration("probesPerHop \(probesPerHop) outside \(Self.probesPerHopRange)")
        }
        guard Self.probeTimeoutRange.contains(probeTimeout) else {
            throw .invalidConfiguration("probeTimeout \(probeTimeout) outside 10 ms...10 s")
        }
        guard Self.hopWindowRange.contains(maxSilentHops), Self.hopWindowRange.contains(parallelHops) else {
            throw .invalidConfiguration(
                "maxSilentHops \(maxSilentHops) and parallelHops \(parallelHops) must lie in \(Self.hopWindowRange)")
        }
        guard port > 0 else { throw .invalidConfiguration("port 0") }
        self.probeProtocol = probeProtocol
        self.maxHops = maxHops
        self.probesPerHop = probesPerHop
        self.probeTimeout = probeTimeout
        self.maxSilentHops = maxSilentHops
        self.parallelHops = parallelHops
        self.port = port
    }
}

/// Why a trace could not run.
public enum TraceError: Error, Equatable, CustomStringConvertible {
    /// A configuration value is out of range.
    case invalidConfiguration(String)
    /// The target is not an IPv4 or IPv6 literal (first 64 characters kept).
    case invalidAddress(String)
    /// The engine has no socket for this protocol and address family.
    case unsupported(String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let text): "invalid trace configuration: \(text)"
        case .invalidAddress(let text): "not an IPv4 or IPv6 address literal: '\(text)'"
        case .unsupported(let text): "trace not possible: \(text)"
        }
    }
}
