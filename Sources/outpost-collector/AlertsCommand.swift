import ArgumentParser
import Foundation
import OutpostStore

/// `outpost-collector alerts …`: alert rules as the alert engine sees them.
struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts", abstract: "Check alert rules; acknowledge alerts.",
        subcommands: [Check.self, Acknowledge.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract:
                "Parse every enabled alert rule; list those the engine skips, with the position of the error. Exits 1 if any."
        )

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let (rules, rejected) = try await database.withConnection { connection, logger in
                try await AlertRuleStore(logger: logger).loadRules(on: connection)
            }
            let rows = rejected.map { [$0.record.name, $0.record.expression, $0.error.description] }
            if !rows.isEmpty { print(TextTable.render(header: ["RULE", "EXPRESSION", "ERROR"], rows: rows)) }
            print(
                "\(rules.count) enabled \(rules.count == 1 ? "rule parses" : "rules parse"), \(rejected.count) skipped")
            if !rejected.isEmpty { throw ExitCode.failure }
        }
    }

    struct Acknowledge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ack",
            abstract: "Mark an alert (an alert_history id) acknowledged, by a user if --by names one.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The alert's id (alert_history.id, as in webhooks' alert_id).") var alert: String
        @Option(help: "The username (users.username) acknowledging it.") var by: String?

        func run() async throws {
            guard let id = UUID(uuidString: alert) else {
                throw ValidationError("not an alert id: \(alert.debugDescription)")
            }
            let result = try await database.withConnection { connection, logger in
                try await AlertRuleStore(logger: logger).acknowledge(historyID: id, by: by, at: Date(), on: connection)
            }
            switch result {
            case .acknowledged:
                print("alert \(id.uuidString.lowercased()) acknowledged" + (by.map { " by \($0)" } ?? ""))
            case .alreadyAcknowledged:
                throw ValidationError("alert \(id.uuidString.lowercased()) was already acknowledged")
            case .notFound: throw ValidationError("no alert \(id.uuidString.lowercased())")
            case .unknownUser: throw ValidationError("no user \(by.map(\.debugDescription) ?? ""); nothing changed")
            }
        }
    }
}
