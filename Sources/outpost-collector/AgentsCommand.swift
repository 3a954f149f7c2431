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
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract:
                "List enrolled agents, each with the health summary of its heartbeats (times of the summaries in the local time zone)."
        )

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let agents = try await database.withConnection { connection, logger in
                try await AgentRegistry(logger: logger).list(on: connection)
            }
            print(
                "ID                                    BRANCH                STATUS   CERT EXPIRES (UTC)    LAST SEEN (UTC)       SERIAL"
            )
            let now = Date()
            for agent in agents {
                print(
                    [
                        agent.id.description, pad(agent.branchName, 20), pad(agent.status, 7),
                        agent.certificateNotAfter.formatted(.iso8601),
                        pad(agent.lastSeen?.formatted(.iso8601) ?? "never", 20), agent.certificateSerial,
                    ].joined(separator: "  "))
                print("    " + Self.healthLine(agent.health, now: now, zone: .current))
            }
        }

        /// The line under an agent: its latest health summary, `CANNOT FIT` when its pings do not
        /// fit the send-rate ceiling (docs/architecture.md, "Agent health").
        static func healthLine(_ status: AgentHealthStatus?, now: Date, zone: TimeZone) -> String {
            guard let status else { return "health: none reported" }
            let report = status.report
            func mebibytes(_ bytes: Int64) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
            let seconds = max(0, Int(now.timeIntervalSince(status.receivedAt)))
            var parts = [
                "health at \(status.receivedAt.formatted(Date.ISO8601FormatStyle(timeZone: zone))) (\(seconds) s ago)",
                LogSafeText.escaped(report.agentVersion),
                "RSS \(report.residentBytes > 0 ? mebibytes(report.residentBytes) : "unknown")"
                    + (report.anonymousBytes > 0 ? " (anon \(mebibytes(report.anonymousBytes)))" : ""),
                "spool \(report.spoolPendingBatches) batches pending, \(mebibytes(report.spoolBytes)) on disk",
                "dropped \(report.spoolDroppedBatches) batches (\(report.spoolDroppedResults) results)",
                "\(report.roundsOverrun) rounds overrun",
            ]
            if report.icmpDemandPerSecond > 0 || report.icmpCeilingPerSecond > 0 {
                parts.append(
                    "ICMP \(report.icmpDemandPerSecond) of \(report.icmpCeilingPerSecond) packets/s"
                        + (report.cannotFit ? " CANNOT FIT" : ""))
            } else {
                parts.append("ICMP load unknown")
            }
            return parts.joined(separator: " · ")
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
