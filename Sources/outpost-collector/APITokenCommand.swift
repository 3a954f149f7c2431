import ArgumentParser
import Foundation
import OutpostCollector
import OutpostStore

/// `outpost-collector api-token …`: tokens for automation (`Authorization: Bearer`). A token
/// is printed once; the database keeps only its SHA-256.
struct APITokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api-token", abstract: "Create, list and revoke API tokens.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Print a new API token acting as a user.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The user the token acts as.") var user: String
        @Option(help: "A name for the token, unique among the user's live tokens.") var name: String
        @Option(help: "Lifetime, e.g. 90d or 12h (default: until revoked).") var expires: String?

        func run() async throws {
            let expiresAt = try expires.map {
                Date() + (try TimeToLive.parse($0, option: "--expires", range: 3600...(3650 * 86_400)))
            }
            let secret = OperatorSecret.make(prefix: "opt_")
            let record = try await refusingInput {
                try await database.withConnection { connection, logger in
                    try await APITokenStore(logger: logger).create(
                        username: user, name: name, secretHash: OperatorSecret.digest(secret), expiresAt: expiresAt,
                        by: .commandLine(), on: connection)
                }
            }
            print(secret)
            FileHandleOutput.standardError(
                "token \(record.id.uuidString.lowercased()) \(record.name) for \(record.username), "
                    + "expires \(record.expiresAt?.formatted(.iso8601) ?? "never")")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List API tokens.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Only this user's tokens.") var user: String?

        func run() async throws {
            let tokens = try await database.withConnection { connection, logger in
                try await APITokenStore(logger: logger).list(username: user, on: connection)
            }
            let rows = tokens.map { token -> [String] in
                let lastUse = token.lastUsedAt.map { "\($0.formatted(.iso8601)) from \(token.lastUsedFrom ?? "?")" }
                return [
                    token.id.uuidString.lowercased(), token.username, token.name, token.createdAt.formatted(.iso8601),
                    token.expiresAt?.formatted(.iso8601) ?? "never", lastUse ?? "never",
                    token.revokedAt == nil ? "live" : "revoked",
                ]
            }
            print(
                TextTable.render(
                    header: ["ID", "USER", "NAME", "CREATED", "EXPIRES", "LAST USED", "STATE"], rows: rows))
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke an API token.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The token's id (from api-token list).") var id: String

        func run() async throws {
            guard let tokenID = UUID(uuidString: id) else { throw ValidationError("not a token id: \(id)") }
            let revoked = try await database.withConnection { connection, logger in
                try await APITokenStore(logger: logger).revoke(id: tokenID, by: .commandLine(), on: connection)
            }
            guard revoked else { throw ValidationError("no live token \(id)") }
            print("token \(id) revoked")
        }
    }
}
