import Foundation
import Logging
import PostgresNIO

/// The append-only `audit_log`: every change an operator makes, by whom, when and from where.
///
/// Write the entry on the connection (and in the transaction) of the change it records, so that
/// a change is never committed without its entry.
public struct AuditLog: Sendable {
    private let logger: Logger

    /// Creates a log writer and reader logging to `logger`.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// Appends `entry`, made by `actor` now (the database's clock, UTC).
    public func append(_ entry: AuditEntry, by actor: AuditActor, on connection: PostgresConnection) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let changes = String(decoding: try encoder.encode(entry.changes), as: UTF8.self)
        try await connection.query(
            """
            INSERT INTO audit_log (actor, actor_user_id, actor_token_id, source, action, entity, entity_id, changes)
            VALUES (\(actor.name), \(actor.userID), \(actor.tokenID), \(actor.source), \(entry.action),
                    \(entry.entity), \(entry.entityID), \(changes)::jsonb)
            """,
            logger: logger)
    }

    /// Entries newest first, filtered, at most `limit`, older than the cursor `before` (an entry id).
    public func list(_ filter: AuditFilter, on connection: PostgresConnection) async throws -> [AuditRecord] {
        let rows = try await connection.query(
            """
            SELECT id, at, actor, source, action, entity, entity_id, changes::text
            FROM audit_log
            WHERE (\(filter.before)::bigint IS NULL OR id < \(filter.before))
              AND (\(filter.entity)::text IS NULL OR entity = \(filter.entity))
              AND (\(filter.entityID)::text IS NULL OR entity_id = \(filter.entityID))
              AND (\(filter.actor)::text IS NULL OR actor = \(filter.actor))
              AND (\(filter.since)::timestamptz IS NULL OR at >= \(filter.since))
              AND (\(filter.until)::timestamptz IS NULL OR at < \(filter.until))
            ORDER BY id DESC LIMIT \(filter.limit)
            """,
            logger: logger)
        var records: [AuditRecord] = []
        for try await (id, at, actor, source, action, entity, entityID, changes) in rows.decode(
            (Int64, Date, String, String, String, String, String?, String).self)
        {
            records.append(
                AuditRecord(
                    id: id, at: at, actor: actor, source: source, action: action, entity: entity, entityID: entityID,
                    changesJSON: changes))
        }
        return records
    }
}

/// What ``AuditLog/list(_:on:)`` selects.
public struct AuditFilter: Sendable {
    public var entity: String?
    public var entityID: String?
    public var actor: String?
    public var since: Date?
    public var until: Date?
    /// Cursor: only entries with a smaller id (the last id of the previous page).
    public var before: Int64?
    public var limit: Int = 100

    public init() {}
}

/// One row of `audit_log`.
public struct AuditRecord: Sendable, Equatable {
    public let id: Int64
    public let at: Date
    public let actor: String
    public let source: String
    public let action: String
    public let entity: String
    public let entityID: String?
    /// The changes as stored: `{"field": {"before": …, "after": …}}`.
    public let changesJSON: String
}
