import ArgumentParser
import Foundation
import OutpostStore

/// `outpost-collector alerts …`: alert rules as the alert engine sees them.
struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts", abstract: "Check alert rules; acknowledge and resolve alerts.",
        subcommands: [Check.self, Acknowledge.self, Resolve.self])

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

        @OptionGroup var action: Action

        func run() async throws { try await action.run(acknowledging: true) }
    }

    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resolve", abstract: "Resolve an open alert by hand, by a user if --by names one.")

        @OptionGroup var action: Action

        func run() async throws { try await action.run(acknowledging: false) }
    }

    /// The alert, the user and the comment of `ack` and `resolve`; both are audited.
    struct Action: ParsableArguments {
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The alert's id (alert_history.id, as in webhooks' alert_id).") var alert: String
        @Option(help: "The username (users.username) acting.") var by: String?
        @Option(help: "A comment, kept with the alert (at most 1000 characters).") var comment: String?

        func run(acknowledging: Bool) async throws {
            guard let id = UUID(uuidString: alert) else {
                throw ValidationError("not an alert id: \(alert.debugDescription)")
            }
            let verb = acknowledging ? "acknowledged" : "resolved"
            let name = id.uuidString.lowercased()
            let result = try await refusingInput {
                try await database.withConnection { connection, logger -> AlertActionResult? in
                    var userID: Int32?
                    if let by {
                        guard let user = try await UserDirectory(logger: logger).user(named: by, on: connection) else {
                            return nil
                        }
                        userID = user.id
                    }
                    let desk = AlertDesk(logger: logger)
                    return acknowledging
                        ? try await desk.acknowledge(
                            id: id, comment: comment, by: userID, actor: .commandLine(), on: connection)
                        : try await desk.resolve(
                            id: id, comment: comment, by: userID, actor: .commandLine(), on: connection)
                }
            }
            switch result {
            case nil: throw ValidationError("no user \(by.map(\.debugDescription) ?? ""); nothing changed")
            case .done?: print("alert \(name) \(verb)" + (by.map { " by \($0)" } ?? ""))
            case .alreadyDone?: throw ValidationError("alert \(name) was already \(verb)")
            case .notFound?: throw ValidationError("no alert \(name)")
            }
        }
    }
}
