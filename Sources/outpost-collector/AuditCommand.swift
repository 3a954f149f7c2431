import ArgumentParser
import Foundation
import OutpostStore

/// `outpost-collector audit list`: who changed what, when and from where.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Read the audit log.", subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "Audit entries, newest first (times in UTC).")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Only this kind of entity (device, branch, user, alert_rule, …).") var entity: String?
        @Option(help: "Only this entity id.") var id: String?
        @Option(help: "Only this actor (username, or cli:USER).") var actor: String?
        @Option(help: "Only entries since this long ago, e.g. 24h or 7d.") var since: String?
        @Option(help: "At most this many entries (1–1000).") var limit = 50

        func run() async throws {
            guard (1...1000).contains(limit) else { throw ValidationError("--limit: 1 to 1000") }
            var filter = AuditFilter()
            filter.entity = entity
            filter.entityID = id
            filter.actor = actor
            filter.since = try since.map {
                Date() - (try TimeToLive.parse($0, option: "--since", range: 1...(3650 * 86_400)))
            }
            filter.limit = limit
            let entries = try await database.withConnection { [filter] connection, logger in
                try await AuditLog(logger: logger).list(filter, on: connection)
            }
            let rows = entries.map {
                [
                    $0.at.formatted(.iso8601), $0.actor, $0.source, $0.action,
                    $0.entity + ($0.entityID.map { " \($0)" } ?? ""), $0.changesJSON,
                ]
            }
            print(TextTable.render(header: ["AT", "ACTOR", "SOURCE", "ACTION", "ENTITY", "CHANGES"], rows: rows))
        }
    }
}
