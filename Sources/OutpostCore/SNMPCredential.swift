/// How an agent authenticates to one device's SNMP agent, decrypted by the collector for the
/// agent that polls the device. Printing it (description, debugDescription, string
/// interpolation of a containing struct) never shows a community or key.
public struct SNMPCredential: Sendable, Codable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// Protocol version.
    public enum Version: String, Sendable, Codable {
        case v1, v2c, v3
    }

    public var version: Version
    /// v1/v2c community.
    public var community: String?
    /// v3 USM user name.
    public var user: String?
    /// v3 authentication protocol (`MD5`, `SHA`, `SHA-224`, `SHA-256`, `SHA-384`, `SHA-512`).
    public var authProtocol: String?
    /// v3 authentication passphrase.
    public var authKey: String?
    /// v3 privacy protocol (`DES`, `AES`, `AES-192`, `AES-256`).
    public var privProtocol: String?
    /// v3 privacy passphrase.
    public var privKey: String?

    /// A v1 or v2c community.
    public static func community(_ community: String, version: Version = .v2c) -> SNMPCredential {
        SNMPCredential(version: version, community: community)
    }

    public init(
        version: Version, community: String? = nil, user: String? = nil, authProtocol: String? = nil,
        authKey: String? = nil, privProtocol: String? = nil, privKey: String? = nil
    ) {
        self.version = version
        self.community = community
        self.user = user
        self.authProtocol = authProtocol
        self.authKey = authKey
        self.privProtocol = privProtocol
        self.privKey = privKey
    }

    public var description: String {
        switch version {
        case .v1, .v2c: return "\(version.rawValue) community: <redacted>"
        case .v3:
            var text = "v3 user: \(user ?? "-")"
            if let authProtocol { text += ", auth: \(authProtocol) <redacted>" }
            if let privProtocol { text += ", priv: \(privProtocol) <redacted>" }
            return text
        }
    }

    public var debugDescription: String { "SNMPCredential(\(description))" }

    /// What `dump` and reflection show: the secrets are left out.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "version": version, "user": user as Any, "authProtocol": authProtocol as Any,
                "privProtocol": privProtocol as Any,
            ])
    }
}
