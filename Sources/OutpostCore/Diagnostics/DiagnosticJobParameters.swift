import Foundation

/// What a traceroute or MTR job asks the agent to run: the parameters of a `Job` of kind
/// traceroute or mtr, JSON-encoded. Built by the collector from a `diagnostic_jobs` row.
public struct DiagnosticJobParameters: Sendable, Codable, Equatable {
    /// The device's address (an IPv4 or IPv6 literal).
    public var target: String
    /// `icmp`, `udp` or `tcp`.
    public var probeProtocol: String
    /// Destination port of TCP probes.
    public var port: UInt16
    /// The highest TTL probed, 1...64.
    public var maxHops: Int
    /// Probes per hop of a traceroute, 1...10 (MTR sends one per hop per cycle).
    public var probesPerHop: Int
    /// How long a probe waits for its answer, 10...10,000 ms.
    public var timeoutMilliseconds: Int
    /// MTR cycles, 1...100 (1 for a traceroute).
    public var cycles: Int
    /// Pause between MTR cycles, 100...10,000 ms.
    public var intervalMilliseconds: Int
    /// Whether hop addresses are resolved to names (bounded by a short deadline).
    public var resolveNames: Bool

    /// The accepted range of ``cycles``.
    public static let cyclesRange = 1...100

    public init(
        target: String, probeProtocol: String = "icmp", port: UInt16 = 80, maxHops: Int = 30, probesPerHop: Int = 3,
        timeoutMilliseconds: Int = 2_000, cycles: Int = 1, intervalMilliseconds: Int = 1_000, resolveNames: Bool = false
    ) {
        self.target = target
        self.probeProtocol = probeProtocol
        self.port = port
        self.maxHops = maxHops
        self.probesPerHop = probesPerHop
        self.timeoutMilliseconds = timeoutMilliseconds
        self.cycles = cycles
        self.intervalMilliseconds = intervalMilliseconds
        self.resolveNames = resolveNames
    }

    /// The JSON bytes of a `Job`'s parameters.
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return Array(try encoder.encode(self))
    }

    /// Decodes a `Job`'s parameters.
    public init(decoding bytes: [UInt8]) throws {
        self = try JSONDecoder().decode(Self.self, from: Data(bytes))
    }
}
