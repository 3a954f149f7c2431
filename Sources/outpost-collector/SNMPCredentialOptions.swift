import ArgumentParser
import OutpostCore
import OutpostStore

/// `--version`, `--community`, `--user`, `--auth-*`, `--priv-*`: one SNMP credential on the
/// command line (`credentials set`, `discovery credential add`).
struct SNMPCredentialOptions: ParsableArguments {
    @Option(help: "v1, v2c or v3.")
    var version: String
    @Option(help: "Community (v1, v2c).")
    var community: String?
    @Option(help: "USM user name (v3).")
    var user: String?
    @Option(help: "MD5, SHA, SHA-224, SHA-256, SHA-384 or SHA-512 (v3; default SHA when --auth-key is given).")
    var authProtocol: String?
    @Option(help: "Authentication passphrase, 8 to 255 bytes (v3).")
    var authKey: String?
    @Option(help: "DES, AES, AES-192 or AES-256 (v3; default AES when --priv-key is given).")
    var privProtocol: String?
    @Option(help: "Privacy passphrase, 8 to 255 bytes (v3; needs --auth-key).")
    var privKey: String?

    /// The credential the options describe; a clear error for every inconsistent combination.
    func resolve() throws -> SNMPCredential {
        guard let version = SNMPCredential.Version(rawValue: version) else {
            throw ValidationError("--version must be v1, v2c or v3 (got \(version.debugDescription))")
        }
        switch version {
        case .v1, .v2c:
            guard let community else { throw ValidationError("--version \(version.rawValue) needs --community") }
            guard user == nil, authProtocol == nil, authKey == nil, privProtocol == nil, privKey == nil else {
                throw ValidationError("--user, --auth-* and --priv-* belong to --version v3")
            }
            guard (1...255).contains(community.utf8.count), !community.utf8.contains(0) else {
                throw ValidationError("--community must be 1 to 255 bytes without NUL")
            }
            return .community(community, version: version)
        case .v3:
            guard community == nil else {
                throw ValidationError("--community belongs to v1/v2c; v3 uses --user and keys")
            }
            guard let user, (1...32).contains(user.utf8.count), !user.utf8.contains(0) else {
                throw ValidationError("--version v3 needs --user (1 to 32 bytes)")
            }
            guard authKey != nil || authProtocol == nil else {
                throw ValidationError("--auth-protocol needs --auth-key")
            }
            guard privKey != nil || privProtocol == nil else {
                throw ValidationError("--priv-protocol needs --priv-key")
            }
            guard privKey == nil || authKey != nil else {
                throw ValidationError("--priv-key needs --auth-key (authPriv)")
            }
            for passphrase in [authKey, privKey].compactMap({ $0 }) {
                guard (8...255).contains(passphrase.utf8.count), !passphrase.utf8.contains(0) else {
                    throw ValidationError("v3 passphrases (--auth-key, --priv-key) must be 8 to 255 bytes without NUL")
                }
            }
            let auth = authKey.map { _ in authProtocol ?? "SHA" }
            let priv = privKey.map { _ in privProtocol ?? "AES" }
            if let auth, !SNMPCredentialRecord.authProtocols.contains(auth) {
                throw ValidationError(
                    "--auth-protocol must be one of \(SNMPCredentialRecord.authProtocols.sorted().joined(separator: ", "))"
                )
            }
            if let priv, !SNMPCredentialRecord.privProtocols.contains(priv) {
                throw ValidationError(
                    "--priv-protocol must be one of \(SNMPCredentialRecord.privProtocols.sorted().joined(separator: ", "))"
                )
            }
            return SNMPCredential(
                version: .v3, user: user, authProtocol: auth, authKey: authKey, privProtocol: priv, privKey: privKey)
        }
    }
}
