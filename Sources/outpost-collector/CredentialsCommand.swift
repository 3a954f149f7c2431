import ArgumentParser
import Foundation
import OutpostCollector
import OutpostCore
import OutpostPKI
import OutpostStore

/// `outpost-collector credentials …`: SNMP credentials sealed under the master key.
struct CredentialsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credentials", abstract: "Store SNMP credentials (encrypted) and manage the master key.",
        subcommands: [SetCredential.self, MasterKeyCommand.self, RotateKey.self])

    struct SetCredential: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Set a device's SNMP credential (replaces the device's earlier ones), encrypted under the master key.",
            discussion: "Secrets given as options are visible to other local users in the process list while the command runs; run it where that is acceptable.")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var masterKey: MasterKeyOptions
        @Option(help: "The device's id or name.")
        var device: String
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

        func validate() throws {
            _ = try credentialFromOptions()
        }

        func run() async throws {
            let credential = try credentialFromOptions()
            let key = try masterKey.resolve(database)
            let (deviceID, record) = try await database.withConnection { connection, logger in
                let store = CredentialStore(logger: logger)
                let deviceID = try await store.device(device, on: connection)
                let record = try key.seal(credential, id: UUID(), device: deviceID)
                try await store.replaceSNMPCredential(record, on: connection)
                return (deviceID, record)
            }
            print("stored \(credential) for device \(deviceID.uuidString.lowercased()) (row \(record.id.uuidString.lowercased()), master key \(key.fingerprintHex))")
        }

        /// The credential the options describe; a clear error for every inconsistent combination.
        func credentialFromOptions() throws -> SNMPCredential {
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
                guard community == nil else { throw ValidationError("--community belongs to v1/v2c; v3 uses --user and keys") }
                guard let user, (1...32).contains(user.utf8.count), !user.utf8.contains(0) else {
                    throw ValidationError("--version v3 needs --user (1 to 32 bytes)")
                }
                guard authKey != nil || authProtocol == nil else { throw ValidationError("--auth-protocol needs --auth-key") }
                guard privKey != nil || privProtocol == nil else { throw ValidationError("--priv-protocol needs --priv-key") }
                guard privKey == nil || authKey != nil else { throw ValidationError("--priv-key needs --auth-key (authPriv)") }
                for passphrase in [authKey, privKey].compactMap({ $0 }) {
                    guard (8...255).contains(passphrase.utf8.count), !passphrase.utf8.contains(0) else {
                        throw ValidationError("v3 passphrases (--auth-key, --priv-key) must be 8 to 255 bytes without NUL")
                    }
                }
                let auth = authKey.map { _ in authProtocol ?? "SHA" }
                let priv = privKey.map { _ in privProtocol ?? "AES" }
                if let auth, !SNMPCredentialRecord.authProtocols.contains(auth) {
                    throw ValidationError("--auth-protocol must be one of \(SNMPCredentialRecord.authProtocols.sorted().joined(separator: ", "))")
                }
                if let priv, !SNMPCredentialRecord.privProtocols.contains(priv) {
                    throw ValidationError("--priv-protocol must be one of \(SNMPCredentialRecord.privProtocols.sorted().joined(separator: ", "))")
                }
                return SNMPCredential(version: .v3, user: user, authProtocol: auth, authKey: authKey, privProtocol: priv, privKey: privKey)
            }
        }
    }

    struct MasterKeyCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "master-key", abstract: "Create the master key.", subcommands: [Create.self])

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "create", abstract: "Write a new random master key to FILE (mode 0600); never replaces an existing file.")

            @Argument(help: "Where to write the key.")
            var file: String

            func run() throws {
                let key = try MasterKey.create(at: file)
                print("created master key \(key.fingerprintHex) in \(file); back it up: credentials sealed under it are lost without it")
            }
        }
    }

    struct RotateKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-key",
            abstract: "Re-encrypt every stored credential (snmp_credentials, discovery_credentials) from the old master key to the new one, in one transaction.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The master key the credentials are sealed under now.")
        var oldKeyFile: String
        @Option(help: "The master key to seal them under (create it with `credentials master-key create`).")
        var newKeyFile: String

        func run() async throws {
            let old: MasterKey
            let new: MasterKey
            do {
                old = try MasterKey.load(path: oldKeyFile)
                new = try MasterKey.load(path: newKeyFile)
            } catch {
                throw ValidationError("\(error)")
            }
            let outcome = try await database.withConnection { connection, logger in
                try await MasterKeyRotation.rotate(from: old, to: new, on: connection, logger: logger)
            }
            print("re-encrypted \(outcome.rewritten) value(s) from master key \(old.fingerprintHex) to \(new.fingerprintHex)"
                  + (outcome.alreadyRotated > 0 ? "; \(outcome.alreadyRotated) already under the new key" : "")
                  + "; restart the collectors with the new key")
        }
    }
}
