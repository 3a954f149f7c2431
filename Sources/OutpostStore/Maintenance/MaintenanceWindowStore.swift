import Foundation
import Logging
import PostgresNIO

/// Creates, lists and ends maintenance windows (`maintenance_windows`, `maintenance_window_targets`)
/// and tells which devices are in one at a given time.
///
/// Every change is written with its audit entry in one transaction and announced on
/// ``changeChannel``, so the alert engine sees a new or ended window within seconds.
public struct MaintenanceWindowStore: Sendable {
    /// The channel notified (with the window's id) when a window is created or ended.
    public static let changeChannel = "outpost_maintenance_windows"
    /// The audit log's entity name for a window.
    public static let auditEntity = "maintenance_window"

    let logger: Logger

    /// Creates a store logging to `logger`.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// Validates `draft` and inserts the window and its targets, with an audit entry by `actor`.
    /// - Throws: ``InputError`` naming the field at fault; nothing is written then.
    public func create(_ draft: MaintenanceWindowDraft, by actor: AuditActor, on connection: PostgresConnection)
        async throws -> MaintenanceWindowRecord
    {
        try await connection.transaction(logger: logger) { connection in
            let valid = try await validate(draft, actor: actor, on: connection)
            let rows = try await connection.query(
                """
                INSERT INTO maintenance_windows (name, comment, starts_at, ends_at, schedule, duration_seconds, created_by)
                VALUES (\(valid.name), \(valid.comment), \(valid.startsAt), \(valid.endsAt), \(valid.schedule),
                        \(valid.durationSeconds.map { Int32($0) }), \(valid.createdBy))
                RETURNING id
                """, logger: logger)
            var inserted: UUID?
            for try await id in rows.decode(UUID.self) { inserted = id }
            guard let id = inserted else { throw AlertRuleStore.NoRowReturned() }
            try await connection.query(
                """
                INSERT INTO maintenance_window_targets (window_id, device_id)
                SELECT \(id), unnest(\(valid.deviceIDs)::uuid[])
                """, logger: logger)
            try await connection.query(
                """
                INSERT INTO maintenance_window_targets (window_id, branch_id)
                SELECT \(id), unnest(\(valid.branchIDs)::uuid[])
                """, logger: logger)
            try await connection.query(
                """
                INSERT INTO maintenance_window_targets (window_id, region)
                SELECT \(id), unnest(\(valid.regions)::text[])
                """, logger: logger)
            try await AuditLog(logger: logger).append(
                .diff(
                    action: "create", entity: Self.auditEntity, entityID: id.uuidString.lowercased(), before: [:],
                    after: valid.auditFields),
                by: actor, on: connection)
            try await announce(id, on: connection)
            guard let record = try await records(id: id, includeEnded: true, on: connection).first else {
                throw MaintenanceWindowNotFound(id: id)
            }
            return record
        }
    }

    /// The windows, soonest first: those over (past `endsAt`, or ended by hand) only with
    /// `includeEnded`, as of `now`.
    public func list(includeEnded: Bool, now: Date = Date(), on connection: PostgresConnection) async throws
        -> [MaintenanceWindowRecord]
    {
        try await records(id: nil, includeEnded: includeEnded, now: now, on: connection)
    }

    /// The window `id`, or `nil` if there is none.
    public func window(id: UUID, on connection: PostgresConnection) async throws -> MaintenanceWindowRecord? {
        try await records(id: id, includeEnded: true, on: connection).first
    }

    /// Ends window `id` by hand at `time` (before it opens: cancels it), with an audit entry by `actor`.
    /// - Throws: ``MaintenanceWindowNotFound``; ``InputError`` (field `ended_at`) when
    ///   it was already ended by hand.
    public func end(id: UUID, by actor: AuditActor, at time: Date, on connection: PostgresConnection) async throws
        -> MaintenanceWindowRecord
    {
        try await connection.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                "SELECT ended_at FROM maintenance_windows WHERE id = \(id) FOR UPDATE", logger: logger)
            var found: Date?? = nil
            for try await endedAt in rows.decode(Date?.self) { found = .some(endedAt) }
            guard let endedAt = found else { throw MaintenanceWindowNotFound(id: id) }
            if let endedAt {
                throw InputError(
                    field: "ended_at", reason: "the window was already ended at \(Self.iso(endedAt))")
            }
            try Self.checkRange(time, field: "ended_at")
            try await connection.query(
                "UPDATE maintenance_windows SET ended_at = \(time) WHERE id = \(id)", logger: logger)
            try await AuditLog(logger: logger).append(
                .diff(
                    action: "end", entity: Self.auditEntity, entityID: id.uuidString.lowercased(),
                    before: ["ended_at": .null], after: ["ended_at": .text(Self.iso(time))]),
                by: actor, on: connection)
            try await announce(id, on: connection)
            guard let record = try await records(id: id, includeEnded: true, on: connection).first else {
                throw MaintenanceWindowNotFound(id: id)
            }
            return record
        }
    }

    /// Notifies ``changeChannel`` when the transaction commits.
    private func announce(_ id: UUID, on connection: PostgresConnection) async throws {
        try await connection.query(
            "SELECT pg_notify(\(Self.changeChannel), \(id.uuidString.lowercased()))", logger: logger)
    }

    /// `time` as ISO 8601 in UTC, to the second.
    static func iso(_ time: Date) -> String {
        time.formatted(.iso8601)
    }
}
