/// `host:port` of a collector endpoint; IPv6 literals in brackets (`[2001:db8::1]:8444`).
public struct CollectorAddress: Sendable, Hashable, CustomStringConvertible {
    /// Host name or IP literal (without brackets).
    public let host: String
    /// TCP port.
    public let port: Int
    /// The DNS name or IP address the collector's certificate must carry (default: `host`).
    public let serverName: String

    /// Creates an address.
    public init(host: String, port: Int, serverName: String? = nil) {
        self.host = host
        self.port = port
        self.serverName = serverName ?? host
    }

    /// Parses `host:port` or `[v6]:port`; `nil` when the text has another shape or the port is
    /// not 1...65535.
    public init?(parsing text: String) {
        let host: Substring
        let port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                return nil
            }
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else { return nil }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let number = Int(port), (1...65_535).contains(number) else { return nil }
        self.init(host: String(host), port: number)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
