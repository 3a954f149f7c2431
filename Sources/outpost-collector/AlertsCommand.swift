import ArgumentParser
import OutpostStore

/// `outpost-collector alerts …`: alert rules as the alert engine sees them.
struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts", abstract: "Check alert rules.", subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Parse every enabled alert rule; list those the engine skips, with the position of the error. Exits 1 if any.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let (rules, rejected) = try await database.withConnection { connection, logger in
                try await AlertRuleStore(logger: logger).loadRules(on: connection)
            }
            let rows = rejected.map { [$0.record.name, $0.record.expression, $0.error.description] }
            if !rows.isEmpty { print(TextTable.render(header: ["RULE", "EXPRESSION", "ERROR"], rows: rows)) }
            print("\(rules.count) enabled \(rules.count == 1 ? "rule parses" : "rules parse"), \(rejected.count) skipped")
            if !rejected.isEmpty { throw ExitCode.failure }
        }
    }
}
