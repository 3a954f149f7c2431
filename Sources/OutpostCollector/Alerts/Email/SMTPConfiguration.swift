/// Where and how alert e-mails are sent.
public struct SMTPConfiguration: Sendable, Equatable {
    /// The SMTP server (a relay that accepts mail from the collector without authentication).
    public var host: String
    /// Its port (25 or 587 for a local relay).
    public var port: Int
    /// The envelope sender and `From:` address.
    public var from: String
    /// The name the collector gives in `EHLO`.
    public var heloName: String
    /// One whole SMTP conversation (connect to `QUIT`) is abandoned after this long.
    public var timeout: Duration

    /// A configuration; the addresses must pass ``MailAddress/isValid(_:)``.
    public init(host: String, port: Int = 25, from: String, heloName: String = "outpost-collector", timeout: Duration = .seconds(30)) {
        self.host = host
        self.port = port
        self.from = from
        self.heloName = heloName
        self.timeout = timeout
    }
}

/// The address checks that keep a rule's recipients from injecting SMTP commands or headers.
public enum MailAddress {
    /// `local@domain`, printable ASCII without spaces, angle brackets, quotes or commas, at most
    /// 254 characters.
    public static func isValid(_ address: String) -> Bool {
        guard address.utf8.count <= 254, address.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else { return false }
        guard !address.contains(where: { "<>\"(),;:[]\\".contains($0) }) else { return false }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty
    }
}
