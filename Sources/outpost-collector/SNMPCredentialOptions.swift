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
        let input = SNMPCredentialInput(
            version: version, community: community, user: user, authProtocol: authProtocol, authKey: authKey,
            privProtocol: privProtocol, privKey: privKey)
        do {
            return try input.resolve()
        } catch {
            throw ValidationError("--\(error.field.replacing("_", with: "-")): \(error.reason)")
        }
    }
}
