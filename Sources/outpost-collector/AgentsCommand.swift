import ArgumentParser
import Foundation
import Logging
import OutpostCore
import OutpostStore
import PostgresNIO

/// `outpost-collector agents …`: enrolled agents.
struct AgentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agents", abstract: "List and revoke enrolled agents.", subcommands: [List.self, Revoke.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List enrolled agents.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let agents = try await database.withConnection { connection, logger in
                try await AgentRegistry(logger: logger).list(on: connection)
            }
            print(
                "ID                                    BRANCH                STATUS   CERT EXPIRES (UTC)    LAST SEEN (UTC)       SERIAL"
            )
            for agent in agents {
                print(
                    [
                        agent.id.description, pad(agent.branchName, 20), pad(agent.status, 7),
                        agent.certificateNotAfter.formatted(.iso8601),
                        pad(agent.lastSeen?.formatted(.iso8601) ?? "never", 20), agent.certificateSerial,
                    ].joined(separator: "  "))
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke",
            abstract: "Revoke an agent's certificate; collectors drop its sessions and refuse it from now on.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The agent's id (from `agents list`).")
        var agent: String
        @Option(
            help:
                "Why (kept in revoked_certificates); an RFC 5280 reason such as keyCompromise also goes into `ca crl`.")
        var reason: String?

        func run() async throws {
            guard let uuid = UUID(uuidString: agent) else {
                throw ValidationError("not an agent id: \(agent.debugDescription)")
            }
            let serials = try await database.withConnection { connection, logger in
                try await AgentRegistry(logger: logger).revoke(
                    AgentID(uuid), reason: reason, by: .commandLine(), on: connection)
            }
            print("revoked agent \(AgentID(uuid)) (certificate serials \(serials.joined(separator: ", ")))")
        }
    }
}

extension DatabaseOptions {
    /// Runs `body` on one connection to the collector's database, closed afterwards.
    func withConnection<T>(_ body: (PostgresConnection, Logger) async throws -> T) async throws -> T {
        let url = try resolve()
        let logger = Logger(label: "outpost.collector.cli")
        let connection = try await url.connect(id: 1, logger: logger)
        do {
            let result = try await body(connection, logger)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
