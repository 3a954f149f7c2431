import OutpostCore

/// One SNMP agent to poll and how to talk to it: address, protocol version with its
/// credentials, and the per-request timeout and retries.
///
/// The description never contains communities, passphrases or keys.
public struct SNMPTarget: Sendable, Hashable, CustomStringConvertible {
    /// The agent's address: an IPv4 or IPv6 literal (no name resolution on the I/O thread).
    public var host: String
    /// The agent's UDP port.
    public var port: UInt16
    /// Protocol version and credentials.
    public var security: SNMPSecurity
    /// How long to wait for a response before retrying (per attempt).
    public var timeout: Duration
    /// How many times a request is sent again after a timeout.
    public var retries: Int

    /// Creates a target. `timeout` must lie in 10 ms...60 s and `retries` in 0...10.
    public init(
        host: String, port: UInt16 = 161, security: SNMPSecurity, timeout: Duration = .seconds(1), retries: Int = 1
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.timeout = timeout
        self.retries = retries
    }

    public var description: String {
        "SNMPTarget(\(peerName), \(security), timeout: \(timeout), retries: \(retries))"
    }

    /// The net-snmp peer name: `udp:1.2.3.4:161` or `udp6:[::1]:161`.
    var peerName: String {
        host.contains(":") ? "udp6:[\(host)]:\(port)" : "udp:\(host):\(port)"
    }

    /// Checks the bounds net-snmp would otherwise reject late or silently misuse.
    func validate() throws(SNMPError) {
        guard host.utf8.count <= 45, IPAddressText.isValid(host) else {
            throw .invalidTarget("host must be an IPv4 or IPv6 address literal")
        }
        guard timeout >= .milliseconds(10), timeout <= .seconds(60) else {
            throw .invalidTarget("timeout must lie in 10 ms...60 s")
        }
        guard (0...10).contains(retries) else { throw .invalidTarget("retries must lie in 0...10") }
        try security.validate()
    }
}

/// Protocol version with its credentials.
public enum SNMPSecurity: Sendable, Hashable, CustomStringConvertible {
    /// SNMPv1 with a community string.
    case v1(community: String)
    /// SNMPv2c with a community string.
    case v2c(community: String)
    /// SNMPv3 with a USM user.
    case v3(SNMPv3User)

    public var description: String {
        switch self {
        case .v1: "v1 community: <redacted>"
        case .v2c: "v2c community: <redacted>"
        case .v3(let user): "v3 \(user)"
        }
    }

    func validate() throws(SNMPError) {
        switch self {
        case .v1(let community), .v2c(let community):
            guard (1...255).contains(community.utf8.count), !community.utf8.contains(0) else {
                throw .invalidTarget("community must be 1...255 bytes without NUL")
            }
        case .v3(let user):
            try user.validate()
        }
    }
}

/// An SNMPv3 USM user. The security level follows from what is set:
/// nothing → noAuthNoPriv, authentication → authNoPriv, both → authPriv.
public struct SNMPv3User: Sendable, Hashable, CustomStringConvertible {
    /// Hash used to authenticate messages.
    public enum AuthenticationProtocol: String, Sendable, Hashable {
        case md5 = "MD5"
        case sha1 = "SHA"
        case sha224 = "SHA-224"
        case sha256 = "SHA-256"
        case sha384 = "SHA-384"
        case sha512 = "SHA-512"
    }
    /// Cipher used to encrypt messages.
    public enum PrivacyProtocol: String, Sendable, Hashable {
        case des = "DES"
        case aes128 = "AES"
    }
    /// A protocol and its passphrase (8...255 bytes).
    public struct Key<P: Sendable & Hashable>: Sendable, Hashable {
        /// The protocol.
        public var `protocol`: P
        /// The passphrase the localized key is derived from.
        public var passphrase: String

        /// Creates a protocol/passphrase pair.
        public init(_ protocol: P, passphrase: String) {
            self.protocol = `protocol`
            self.passphrase = passphrase
        }
    }

    /// The USM user (security) name.
    public var userName: String
    /// Authentication protocol and passphrase, if any.
    public var authentication: Key<AuthenticationProtocol>?
    /// Privacy protocol and passphrase, if any; requires authentication.
    public var privacy: Key<PrivacyProtocol>?

    /// Creates a user; pass neither key for noAuthNoPriv.
    public init(
        userName: String, authentication: Key<AuthenticationProtocol>? = nil, privacy: Key<PrivacyProtocol>? = nil
    ) {
        self.userName = userName
        self.authentication = authentication
        self.privacy = privacy
    }

    /// The USM security level name.
    public var securityLevel: String {
        authentication == nil ? "noAuthNoPriv" : (privacy == nil ? "authNoPriv" : "authPriv")
    }

    public var description: String {
        var text = "user: \(userName), level: \(securityLevel)"
        if let authentication { text += ", auth: \(authentication.protocol.rawValue) <redacted>" }
        if let privacy { text += ", priv: \(privacy.protocol.rawValue) <redacted>" }
        return text
    }

    func validate() throws(SNMPError) {
        guard (1...32).contains(userName.utf8.count), !userName.utf8.contains(0) else {
            throw .invalidTarget("v3 user name must be 1...32 bytes without NUL")
        }
        for passphrase in [authentication?.passphrase, privacy?.passphrase].compactMap({ $0 }) {
            guard (8...255).contains(passphrase.utf8.count), !passphrase.utf8.contains(0) else {
                throw .invalidTarget("v3 passphrases must be 8...255 bytes without NUL")
            }
        }
        if privacy != nil && authentication == nil { throw .invalidTarget("v3 privacy requires authentication") }
    }
}
