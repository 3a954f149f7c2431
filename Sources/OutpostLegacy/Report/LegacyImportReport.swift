import Foundation

/// What an import did, table by table: rows read, imported, refused (each with its legacy id
/// and reason), and the checksums of the carried fields on both sides.
public struct LegacyImportReport: Sendable {
    /// One legacy table's account.
    public struct Table: Sendable {
        public let legacy: String
        public let outpost: String
        public var read = 0
        public var imported = 0
        /// Imported rows that were already in Outpost as they are (a re-run).
        public var unchanged = 0
        public var refused = 0
        /// Rows neither imported nor refused, e.g. ping rows older than every retention.
        public var skipped = 0
        public var sourceChecksum = TableChecksum()
        public var targetChecksum = TableChecksum()
        /// Imported rows whose fields read back differently, with the first difference.
        public var mismatches: [String] = []
        /// For tables checked by SQL aggregates (ping history): the two sums.
        public var aggregate: (source: String, target: String)?

        public init(legacy: String, outpost: String) {
            self.legacy = legacy
            self.outpost = outpost
        }

        /// Whether every imported row read back as written.
        public var verified: Bool {
            if let aggregate { return aggregate.source == aggregate.target && mismatches.isEmpty }
            return mismatches.isEmpty && sourceChecksum == targetChecksum
        }
    }

    /// A row not imported: where it is in the legacy database and why.
    public struct Refusal: Sendable, Equatable, CustomStringConvertible {
        public let table: String
        public let legacyID: String
        public let reason: String

        public var description: String { "\(table) \(legacyID): \(reason)" }
    }

    public var source: String
    public var dryRun: Bool
    public var tables: [Table] = []
    public var refusals: [Refusal] = []
    /// Imported with a change the operator should know of (trimmed names, disabled users,
    /// untranslatable rules imported disabled, which Fernet key opened which rows, …).
    public var notes: [String] = []
    /// Which legacy timestamp columns were read in which time zone.
    public var timeZones: [(column: String, zone: LegacyTimeZone)] = []

    public init(source: String, dryRun: Bool) {
        self.source = source
        self.dryRun = dryRun
    }

    /// Whether every table verified.
    public var verified: Bool { tables.allSatisfy(\.verified) }

    /// The refusals of one table.
    public func refusals(of table: String) -> [Refusal] { refusals.filter { $0.table == table } }

    /// The report as text, as the command prints it.
    public var text: String {
        var lines: [String] = []
        lines.append("Legacy import from \(source)\(dryRun ? " (dry run: nothing written)" : "")")
        lines.append("")
        let header = [
            "legacy table", "outpost table", "read", "imported", "unchanged", "refused", "skipped", "source", "target",
            "verified",
        ]
        var rows = [header]
        for table in tables {
            let source = table.aggregate?.source ?? table.sourceChecksum.value
            let target = dryRun ? "-" : table.aggregate?.target ?? table.targetChecksum.value
            rows.append([
                table.legacy, table.outpost, "\(table.read)", "\(table.imported)", "\(table.unchanged)",
                "\(table.refused)", "\(table.skipped)", source, target,
                dryRun ? "-" : (table.verified ? "yes" : "NO"),
            ])
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            lines.append(
                row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                    .joined(separator: "  ").trimmingCharacters(in: .whitespaces))
        }
        for table in tables where !table.mismatches.isEmpty {
            lines.append("")
            lines.append("\(table.legacy): rows that read back differently")
            lines += table.mismatches.map { "  \($0)" }
        }
        if !refusals.isEmpty {
            lines.append("")
            lines.append("Refused rows (table, legacy id, reason):")
            lines += refusals.map { "  \($0)" }
        }
        if !notes.isEmpty {
            lines.append("")
            lines.append("Notes:")
            lines += notes.map { "  \($0)" }
        }
        lines.append("")
        lines.append("Timestamps (naive in the legacy) read as:")
        for zone in LegacyTimeZone.allCases {
            let columns = timeZones.filter { $0.zone == zone }.map(\.column)
            if !columns.isEmpty { lines.append("  \(zone.rawValue): \(columns.joined(separator: ", "))") }
        }
        return lines.joined(separator: "\n")
    }
}
