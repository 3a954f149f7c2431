/// Where a collector listens for agents, and the name its certificate must carry.
public struct CollectorAddress: Sendable, Hashable, CustomStringConvertible {
    public let host: String
    public let port: Int
    /// The DNS name or IP address verified against the collector's certificate.
    public let serverName: String

    public init(host: String, port: Int, serverName: String? = nil) {
        self.host = host
        self.port = port
        self.serverName = serverName ?? host
    }

    /// Parses `host:port` (IPv6 as `[addr]:port`).
    public init(parsing text: String) throws {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else {
            throw UplinkError.invalidAddress(text)
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw UplinkError.invalidAddress(text) }
        self.init(host: host, port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// Why the uplink could not talk to a collector.
public enum UplinkError: Error, CustomStringConvertible {
    case invalidAddress(String)
    case protocolViolation(String)
    case refusedByCollector(String)

    public var description: String {
        switch self {
        case .invalidAddress(let text): "collector address must be host:port (got \(text))"
        case .protocolViolation(let detail): "collector broke the protocol: \(detail)"
        case .refusedByCollector(let detail): "collector refused the session: \(detail)"
        }
    }
}
