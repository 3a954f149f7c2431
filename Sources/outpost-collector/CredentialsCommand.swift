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
            abstract:
                "Set a device's SNMP credential (replaces the device's earlier ones), encrypted under the master key.",
            discussion:
                "Secrets given as options are visible to other local users in the process list while the command runs; run it where that is acceptable."
        )

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var masterKey: MasterKeyOptions
        @Option(help: "The device's id or name.")
        var device: String
        @OptionGroup var credential: SNMPCredentialOptions

        func validate() throws {
            _ = try credential.resolve()
        }

        func run() async throws {
            let credential = try self.credential.resolve()
            let key = try masterKey.resolve(database)
            let (deviceID, record) = try await database.withConnection { connection, logger in
                let store = CredentialStore(logger: logger)
                let deviceID = try await store.device(device, on: connection)
                let record = try key.seal(credential, id: UUID(), device: deviceID)
                try await store.replaceSNMPCredential(record, by: .commandLine(), on: connection)
                return (deviceID, record)
            }
            print(
                "stored \(credential) for device \(deviceID.uuidString.lowercased()) (row \(record.id.uuidString.lowercased()), master key \(key.fingerprintHex))"
            )
        }
    }

    struct MasterKeyCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "master-key", abstract: "Create the master key.", subcommands: [Create.self])

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "create",
                abstract: "Write a new random master key to FILE (mode 0600); never replaces an existing file.")

            @Argument(help: "Where to write the key.")
            var file: String

            func run() throws {
                let key = try MasterKey.create(at: file)
                print(
                    "created master key \(key.fingerprintHex) in \(file); back it up: credentials sealed under it are lost without it"
                )
            }
        }
    }

    struct RotateKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-key",
            abstract:
                "Re-encrypt every stored credential (snmp_credentials, discovery_credentials) from the old master key to the new one, in one transaction."
        )

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
                try await MasterKeyRotation.rotate(
                    from: old, to: new, by: .commandLine(), on: connection, logger: logger)
            }
            print(
                "re-encrypted \(outcome.rewritten) value(s) from master key \(old.fingerprintHex) to \(new.fingerprintHex)"
                    + (outcome.alreadyRotated > 0 ? "; \(outcome.alreadyRotated) already under the new key" : "")
                    + "; restart the collectors with the new key")
        }
    }
}
