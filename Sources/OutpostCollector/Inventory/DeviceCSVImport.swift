import Foundation
import Logging
import OutpostStore
import PostgresNIO

/// Imports a device CSV file (docs/device-import.md): plans it against the inventory, then
/// applies the plan in one transaction when no row is refused.
///
/// A row matches the device of its branch with its name; failing that, the one device of its
/// branch with its IP (the row then renames it); failing that, it adds a device.
public struct DeviceCSVImport: Sendable {
    private let logger: Logger

    /// Creates an importer logging to `logger`.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// What importing `csv` would do; rows of branches outside `regions` (`nil`: every region)
    /// are refused.
    ///
    /// - Throws: ``DeviceImportError`` when the file as a whole is refused (size, rows, header, syntax).
    public func plan(csv: String, regions: Set<String>?, on connection: PostgresConnection) async throws
        -> DeviceImportPlan
    {
        let file = try DeviceCSVReader(csv)
        let branches = try await branchRegions(on: connection)
        var matcher = DeviceImportMatcher(devices: try await DeviceInventory(logger: logger).all(on: connection))
        var plan = DeviceImportPlan()
        for row in file.rows {
            do {
                let values = try DeviceCSVValues(row, columns: file.columns)
                try Self.checkBranch(values.draft.branch, branches: branches, regions: regions)
                switch try matcher.match(values.draft, line: row.line) {
                case .none: plan.creates.append(.init(line: row.line, draft: values.draft))
                case .some(let device):
                    let (fields, patch) = values.changes(from: device)
                    if fields.isEmpty {
                        plan.unchanged.append(row.line)
                    } else {
                        plan.updates.append(
                            .init(line: row.line, id: device.id, name: device.name, changedFields: fields, patch: patch)
                        )
                    }
                }
            } catch {
                plan.refused.append(.init(line: row.line, reason: error.description))
            }
        }
        return plan
    }

    /// Applies `plan` in one transaction, with one audit entry per device it adds or changes and
    /// one `import` entry with the counts.
    ///
    /// - Throws: ``DeviceImportError/refused(_:)`` listing every refused row (nothing is applied).
    public func apply(_ plan: DeviceImportPlan, by actor: AuditActor, on connection: PostgresConnection) async throws
        -> DeviceImportSummary
    {
        guard plan.refused.isEmpty else { throw DeviceImportError.refused(plan.refused) }
        let changes =
            (plan.creates.map { ($0.line, DeviceChange.create($0.draft)) }
            + plan.updates.map { ($0.line, DeviceChange.update(id: $0.id, $0.patch)) })
            .sorted { $0.0 < $1.0 }.map(\.1)
        let summary = DeviceImportSummary(
            created: plan.creates.count, updated: plan.updates.count, unchanged: plan.unchanged.count)
        let entry = AuditEntry(
            action: "import", entity: "device", entityID: nil,
            changes: [
                "created": .init(before: nil, after: .integer(Int64(summary.created))),
                "updated": .init(before: nil, after: .integer(Int64(summary.updated))),
                "unchanged": .init(before: nil, after: .integer(Int64(summary.unchanged))),
            ])
        _ = try await DeviceInventory(logger: logger).apply(changes, summary: entry, by: actor, on: connection)
        return summary
    }

    /// Refuses a branch that does not exist, or whose region is not in `regions`.
    private static func checkBranch(_ branch: String?, branches: [String: String?], regions: Set<String>?)
        throws(InputError)
    {
        guard let branch else {
            guard regions == nil else {
                throw InputError(field: "branch", reason: "a device of no branch is outside your regions")
            }
            return
        }
        guard let region = branches[branch] else {
            throw InputError(field: "branch", reason: "no branch named \(branch.debugDescription)")
        }
        if let regions, !(region.map(regions.contains) ?? false) {
            throw InputError(field: "branch", reason: "branch \(branch.debugDescription) is outside your regions")
        }
    }

    /// Every branch's name and region.
    private func branchRegions(on connection: PostgresConnection) async throws -> [String: String?] {
        let rows = try await connection.query("SELECT name, region FROM branches", logger: logger)
        var branches: [String: String?] = [:]
        for try await (name, region) in rows.decode((String, String?).self) { branches[name] = region }
        return branches
    }
}
