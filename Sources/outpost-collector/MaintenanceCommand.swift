import ArgumentParser
import Foundation
import Logging
import OutpostStore
import PostgresNIO

/// `outpost-collector maintenance …`: maintenance windows, during which alerts are recorded but page nobody.
struct MaintenanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maintenance",
        abstract: "Add, list and end maintenance windows: their devices' alerts are recorded but notify nobody.",
        subcommands: [Add.self, List.self, End.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract:
                "Add a one-off window (--start, --end or --duration) or a recurring one (--schedule, --duration).",
            discussion: """
                Times are ISO 8601 with a zone (2026-12-06T22:00:00Z) or `now`; durations like 90m, 2h, 1d, 1h30m.
                A recurring window opens at each match of --schedule (5-field cron, UTC) for --duration, from
                --start on, until --end if given.
                """)

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The window's name (1 to 200 characters).") var name: String
        @Option(name: .customLong("device"), help: "A device, by id or name (repeatable).") var devices: [String] = []
        @Option(name: .customLong("branch"), help: "A branch, by name: all its devices (repeatable).")
        var branches: [String] = []
        @Option(name: .customLong("region"), help: "A region: all devices of its branches (repeatable).")
        var regions: [String] = []
        @Option(help: "When it opens (recurring: when the schedule starts counting); `now` by default.")
        var start = "now"
        @Option(help: "When it closes (recurring: when the series stops).") var end: String?
        @Option(help: "How long it lasts: one-off, instead of --end; recurring, each opening (required).")
        var duration: String?
        @Option(help: "A 5-field cron expression (UTC) for a recurring window.") var schedule: String?
        @Option(help: "Why, e.g. a change ticket.") var comment: String?

        func run() async throws {
            let now = Date()
            let startsAt = try CommandLineTime.parse(start, option: "--start", now: now)
            var endsAt = try end.map { try CommandLineTime.parse($0, option: "--end", now: now) }
            let seconds = try duration.map { try CommandLineTime.seconds($0, option: "--duration") }
            if schedule == nil, let seconds {
                guard endsAt == nil else { throw ValidationError("--end and --duration: give one, not both") }
                endsAt = startsAt.addingTimeInterval(TimeInterval(seconds))
            }
            guard schedule != nil || endsAt != nil else {
                throw ValidationError("a one-off window needs --end or --duration")
            }
            let record = try await database.withConnection { connection, logger in
                let deviceIDs = try await Self.deviceIDs(devices, on: connection, logger: logger)
                let draft = MaintenanceWindowDraft(
                    name: name, comment: comment, startsAt: startsAt, endsAt: endsAt, schedule: schedule,
                    durationSeconds: schedule == nil ? nil : seconds, deviceIDs: deviceIDs, branchNames: branches,
                    regions: regions)
                return try await MaintenanceCommand.refusingInvalid {
                    try await MaintenanceWindowStore(logger: logger).create(
                        draft, by: .commandLine(), on: connection)
                }
            }
            print("maintenance window \(record.id.uuidString.lowercased()) added: \(record.name), \(When(record))")
        }

        /// The ids of `devices`, each given by id or by (unique) name.
        static func deviceIDs(_ devices: [String], on connection: PostgresConnection, logger: Logger) async throws
            -> [UUID]
        {
            var ids: [UUID] = []
            for device in devices {
                if let id = UUID(uuidString: device) {
                    ids.append(id)
                    continue
                }
                let rows = try await connection.query(
                    "SELECT id FROM standalone_devices WHERE name = \(device)", logger: logger)
                var found: [UUID] = []
                for try await id in rows.decode(UUID.self) { found.append(id) }
                guard found.count == 1 else {
                    throw ValidationError(
                        found.isEmpty
                            ? "--device: no device named \(device.debugDescription)"
                            : "--device: \(found.count) devices are named \(device.debugDescription); give its id")
                }
                ids += found
            }
            return ids
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List current and future maintenance windows (--all: past ones too).")

        @OptionGroup var database: DatabaseOptions
        @Flag(help: "Include windows that are over (past their end, or ended by hand).") var all = false

        func run() async throws {
            let now = Date()
            let windows = try await database.withConnection { connection, logger in
                try await MaintenanceWindowStore(logger: logger).list(includeEnded: all, now: now, on: connection)
            }
            guard !windows.isEmpty else {
                print(all ? "no maintenance windows" : "no current or future maintenance windows")
                return
            }
            let rows = windows.map { window in
                [
                    window.id.uuidString.lowercased(), window.name, When(window).description, Self.targets(window),
                    window.isActive(at: now) ? "yes" : "no",
                ]
            }
            print(TextTable.render(header: ["ID", "NAME", "WHEN", "TARGETS", "ACTIVE NOW"], rows: rows))
        }

        static func targets(_ window: MaintenanceWindowRecord) -> String {
            let targets = window.targets
            return [
                targets.devices.isEmpty ? nil : "devices " + targets.devices.map(\.name).joined(separator: ","),
                targets.branchNames.isEmpty ? nil : "branches " + targets.branchNames.joined(separator: ","),
                targets.regions.isEmpty ? nil : "regions " + targets.regions.joined(separator: ","),
            ].compactMap { $0 }.joined(separator: "; ")
        }
    }

    struct End: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "end", abstract: "End a maintenance window now (one not yet open is cancelled).")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The window's id, as `maintenance list` shows it.") var id: String

        func run() async throws {
            guard let uuid = UUID(uuidString: id) else {
                throw ValidationError("not a maintenance window id: \(id.debugDescription)")
            }
            let record = try await database.withConnection { connection, logger in
                try await MaintenanceCommand.refusingInvalid {
                    try await MaintenanceWindowStore(logger: logger).end(
                        id: uuid, by: .commandLine(), at: Date(), on: connection)
                }
            }
            let endedAt = record.endedAt.map(CommandLineTime.format) ?? "-"
            print("maintenance window \(record.id.uuidString.lowercased()) (\(record.name)) ended at \(endedAt)")
        }
    }

    /// Runs `body`, turning the store's refusals into command-line validation errors.
    static func refusingInvalid<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await refusingInput(body)
        } catch let error as MaintenanceWindowNotFound {
            throw ValidationError(error.description)
        }
    }

    /// When a window is open, in words, times in UTC.
    struct When: CustomStringConvertible {
        let window: MaintenanceWindowRecord

        init(_ window: MaintenanceWindowRecord) { self.window = window }

        var description: String {
            let start = CommandLineTime.format(window.startsAt)
            var text: String
            if let schedule = window.schedule {
                let every = window.durationSeconds.map(CommandLineTime.format(seconds:)) ?? "?"
                text = "'\(schedule)' for \(every) from \(start)"
                if let end = window.endsAt { text += " until \(CommandLineTime.format(end))" }
            } else {
                text = "\(start) to \(window.endsAt.map(CommandLineTime.format) ?? "-")"
            }
            if let ended = window.endedAt { text += " (ended \(CommandLineTime.format(ended)))" }
            return text
        }
    }
}
