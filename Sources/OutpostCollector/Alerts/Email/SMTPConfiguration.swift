/// Where and how alert e-mails are sent.
public struct SMTPConfiguration: Sendable, Equatable {
    /// How the conversation is protected.
    public enum Security: Sendable, Equatable {
        /// Plain text: a relay on the collector's host or a trusted network.
        case none
        /// `STARTTLS` right after `EHLO` (refused if the relay does not offer it), verifying the
        /// relay's certificate and name against the system's trust roots, or against the PEM CA
        /// certificates of `caFile`.
        case startTLS(caFile: String?)
    }

    /// `AUTH PLAIN` credentials, sent only inside TLS.
    public struct Credentials: Sendable, Equatable, CustomStringConvertible {
        public let username: String
        /// Never printed or logged.
        public let password: String

        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }

        public var description: String { "\(username):<redacted>" }
    }

    /// Credentials without `STARTTLS` (they would cross the network in clear text).
    public struct CredentialsWithoutTLS: Error, CustomStringConvertible {
        public var description: String { "SMTP credentials are sent only over STARTTLS; enable it or remove them" }
    }

    /// The SMTP server (a relay for the collector's alert e-mails).
    public var host: String
    /// Its port (25, or 587 for submission with STARTTLS).
    public var port: Int
    /// The envelope sender and `From:` address.
    public var from: String
    /// The name the collector gives in `EHLO`.
    public var heloName: String
    /// One whole SMTP conversation (connect to `QUIT`) is abandoned after this long.
    public var timeout: Duration
    public private(set) var security: Security
    public private(set) var credentials: Credentials?

    /// A configuration; the addresses must pass ``MailAddress/isValid(_:)``.
    /// - Throws: `CredentialsWithoutTLS` when `credentials` are given without `.startTLS`.
    public init(
        host: String, port: Int = 25, from: String, heloName: String = "outpost-collector",
        timeout: Duration = .seconds(30),
        security: Security = .none, credentials: Credentials? = nil
    ) throws(CredentialsWithoutTLS) {
        if credentials != nil, security == .none { throw CredentialsWithoutTLS() }
        self.host = host
        self.port = port
        self.from = from
        self.heloName = heloName
        self.timeout = timeout
        self.security = security
        self.credentials = credentials
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
