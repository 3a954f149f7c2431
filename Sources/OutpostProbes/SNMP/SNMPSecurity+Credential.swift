import OutpostCore

extension SNMPSecurity {
    /// The security of a credential from the agent's configuration snapshot.
    ///
    /// - Throws: ``SNMPError/invalidTarget(_:)`` when the credential lacks what its version needs
    ///   or names a protocol this engine does not implement (AES-192/AES-256 privacy).
    public init(_ credential: SNMPCredential) throws(SNMPError) {
        switch credential.version {
        case .v1, .v2c:
            guard let community = credential.community else {
                throw .invalidTarget("\(credential.version.rawValue) credential without a community")
            }
            self = credential.version == .v1 ? .v1(community: community) : .v2c(community: community)
        case .v3:
            guard let user = credential.user else { throw .invalidTarget("v3 credential without a user") }
            var v3 = SNMPv3User(userName: user)
            if let passphrase = credential.authKey {
                let name = credential.authProtocol ?? "SHA"
                guard let authentication = SNMPv3User.AuthenticationProtocol(rawValue: name) else {
                    throw .invalidTarget("unsupported v3 authentication protocol \(name)")
                }
                v3.authentication = .init(authentication, passphrase: passphrase)
            }
            if let passphrase = credential.privKey {
                let name = credential.privProtocol ?? "AES"
                guard let privacy = SNMPv3User.PrivacyProtocol(rawValue: name) else {
                    throw .invalidTarget("unsupported v3 privacy protocol \(name) (DES and AES are)")
                }
                v3.privacy = .init(privacy, passphrase: passphrase)
            }
            self = .v3(v3)
        }
        try validate()
    }
}
