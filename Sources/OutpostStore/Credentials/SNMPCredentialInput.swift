import OutpostCore

/// An SNMP credential as an operator gives it (on the command line or in an API request),
/// before it is checked: ``resolve()`` refuses every inconsistent combination, naming the field.
public struct SNMPCredentialInput: Sendable, Equatable {
    /// `v1`, `v2c` or `v3`.
    public var version: String
    public var community: String?
    public var user: String?
    public var authProtocol: String?
    public var authKey: String?
    public var privProtocol: String?
    public var privKey: String?

    /// Creates an input.
    public init(
        version: String, community: String? = nil, user: String? = nil, authProtocol: String? = nil,
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

    /// The credential described; protocols default to SHA and AES where a key is given without one.
    public func resolve() throws(InputError) -> SNMPCredential {
        guard let version = SNMPCredential.Version(rawValue: version) else {
            throw .init(field: "version", reason: "must be v1, v2c or v3 (got \(version.debugDescription))")
        }
        switch version {
        case .v1, .v2c:
            guard let community else { throw .init(field: "community", reason: "needed by \(version.rawValue)") }
            let v3Only: [(String, String?)] = [
                ("user", user), ("auth_protocol", authProtocol), ("auth_key", authKey),
                ("priv_protocol", privProtocol), ("priv_key", privKey),
            ]
            if let (field, _) = v3Only.first(where: { $0.1 != nil }) {
                throw .init(field: field, reason: "belongs to v3")
            }
            guard Self.isSecret(community, bytes: 1...255) else {
                throw .init(field: "community", reason: "must be 1 to 255 bytes without NUL")
            }
            return .community(community, version: version)
        case .v3:
            guard community == nil else {
                throw .init(field: "community", reason: "belongs to v1/v2c; v3 uses a user and keys")
            }
            guard let user, Self.isSecret(user, bytes: 1...32) else {
                throw .init(field: "user", reason: "v3 needs a user of 1 to 32 bytes without NUL")
            }
            guard authKey != nil || authProtocol == nil else {
                throw .init(field: "auth_protocol", reason: "needs an auth key")
            }
            guard privKey != nil || privProtocol == nil else {
                throw .init(field: "priv_protocol", reason: "needs a priv key")
            }
            guard privKey == nil || authKey != nil else {
                throw .init(field: "priv_key", reason: "needs an auth key (authPriv)")
            }
            for (field, passphrase) in [("auth_key", authKey), ("priv_key", privKey)] {
                guard let passphrase else { continue }
                guard Self.isSecret(passphrase, bytes: 8...255) else {
                    throw .init(field: field, reason: "v3 passphrases must be 8 to 255 bytes without NUL")
                }
            }
            let auth = authKey.map { _ in authProtocol ?? "SHA" }
            let priv = privKey.map { _ in privProtocol ?? "AES" }
            if let auth, !SNMPCredentialRecord.authProtocols.contains(auth) {
                throw .init(
                    field: "auth_protocol",
                    reason: "must be one of \(SNMPCredentialRecord.authProtocols.sorted().joined(separator: ", "))")
            }
            if let priv, !SNMPCredentialRecord.privProtocols.contains(priv) {
                throw .init(
                    field: "priv_protocol",
                    reason: "must be one of \(SNMPCredentialRecord.privProtocols.sorted().joined(separator: ", "))")
            }
            return SNMPCredential(
                version: .v3, user: user, authProtocol: auth, authKey: authKey, privProtocol: priv, privKey: privKey)
        }
    }

    private static func isSecret(_ text: String, bytes: ClosedRange<Int>) -> Bool {
        bytes.contains(text.utf8.count) && !text.utf8.contains(0)
    }
}
