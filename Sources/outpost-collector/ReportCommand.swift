import ArgumentParser
import Foundation
import OutpostCollector
import OutpostStore

/// `outpost-collector report availability`: availability, MTTR and MTBF per device, branch,
/// region or device type over a range (docs/reports.md).
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Reports over the monitored history.", subcommands: [Availability.self])

    struct Availability: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "availability",
            abstract: "Availability less maintenance, with MTTR, MTBF and outages, over a range.",
            discussion: """
                Example: outpost-collector report availability --from 2026-11-01 --to 2026-12-01 --by branch
                Dates without a time are midnight in --zone; times are shown in --zone too.
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case table, csv, json
        }

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Start: a date (2026-11-01, midnight in --zone) or an ISO 8601 time.") var from: String
        @Option(help: "End (excluded), as --from; at most 367 days after it.") var to: String
        @Option(help: "Rows per device, branch, region or type.") var by = "device"
        @Option(help: "table, csv or json.") var format: Format = .table
        @Option(help: "The zone to read dates and show times in (default: $TZ, else the system's).")
        var zone: String?
        @Flag(
            help: "Also list the outages (table, json) or print the outages' CSV instead of the rows (csv).")
        var outages = false

        func run() async throws {
            let timeZone = try Self.zone(zone)
            let window: ReportWindow
            let grouping: ReportGrouping
            do {
                window = try ReportWindow(
                    from: try Self.time(from, option: "--from", zone: timeZone),
                    to: try Self.time(to, option: "--to", zone: timeZone))
                grouping = try ReportGrouping(parsing: by, field: "--by")
            } catch let error as InputError {
                throw ValidationError(error.field.hasPrefix("--") ? error.description : "--\(error)")
            }
            let report = try await database.withConnection { connection, logger in
                try await ReportStore(logger: logger).availability(
                    window, by: grouping, regions: nil, outages: outages ? .all : .omitted, on: connection)
            }
            switch format {
            case .json:
                let encoder = JSONEncoder()
                encoder.dateEncodingStrategy = .iso8601
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            case .csv:
                print(
                    outages ? AvailabilityCSV.outages(report, zone: timeZone) : AvailabilityCSV.rows(report),
                    terminator: "")
            case .table:
                print(Self.table(report, zone: timeZone, outages: outages))
            }
        }

        static func table(_ report: AvailabilityReport, zone: TimeZone, outages: Bool) -> String {
            let rows = report.rows.map { row in
                [
                    row.name, String(row.devices), ReportText.percent(row.availabilityPercent),
                    ReportText.duration(row.downSeconds), String(row.outages), ReportText.duration(row.mttrSeconds),
                    ReportText.duration(row.mtbfSeconds),
                ]
            }
            var text =
                "Availability \(ReportText.minute(report.from, zone: zone)) to \(ReportText.minute(report.to, zone: zone)) "
                + "(\(zone.identifier)), by \(report.by.rawValue)\n"
                + TextTable.render(
                    header: [
                        report.by.rawValue.uppercased(), "DEVICES", "AVAILABILITY", "DOWN", "OUTAGES", "MTTR", "MTBF",
                    ],
                    rows: rows)
            guard outages else { return text }
            let lines = report.outages.map { outage in
                [
                    outage.deviceName, ReportText.minute(outage.start, zone: zone),
                    ReportText.minute(outage.end, zone: zone), ReportText.duration(outage.durationSeconds),
                    outage.inMaintenance ? "maintenance" : "",
                    outage.alerts.map { $0.ruleName ?? $0.severity }.joined(separator: ", "),
                ]
            }
            text += "\n\nOutages\n"
            text += TextTable.render(header: ["DEVICE", "START", "END", "DURATION", "", "ALERTS"], rows: lines)
            return text
        }

        static func zone(_ name: String?) throws -> TimeZone {
            guard let name else { return TimeZone.current }
            guard let zone = TimeZone(identifier: name) else {
                throw ValidationError(
                    "--zone: \(name.prefix(64).debugDescription) is not an IANA zone such as Asia/Tbilisi")
            }
            return zone
        }

        /// `text` as a date (midnight in `zone`) or an ISO 8601 time with its own offset.
        static func time(_ text: String, option: String, zone: TimeZone) throws -> Date {
            let parts = text.split(separator: "-")
            if text.count == 10, parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]),
                let day = Int(parts[2])
            {
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = zone
                let components = DateComponents(year: year, month: month, day: day)
                guard components.isValidDate(in: calendar), let date = calendar.date(from: components) else {
                    throw ValidationError("\(option): \(text.debugDescription) is not a date")
                }
                return date
            }
            return try CommandLineTime.parse(text, option: option, now: Date())
        }
    }
}
