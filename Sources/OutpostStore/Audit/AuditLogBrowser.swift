import Foundation
import Logging
import PostgresNIO

/// The audit log as the console's admin page reads it: newest first, a page at a time, by actor
/// and by action (``AuditFilter`` has no action).
public struct AuditLogBrowser: Sendable {
    /// Longest actor or action accepted in a filter (`audit_log.actor` holds 100 characters).
    public static let maximumFilterLength = 100

    private let logger: Logger

    /// Creates a reader logging to `logger`.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// One page of entries, newest first.
    public struct Page: Sendable, Equatable {
        public let entries: [AuditRecord]
        /// Pass as `before` for the next (older) page; `nil` on the last page.
        public let nextBefore: Int64?
    }

    /// Up to `limit` entries older than entry `before` (all when `nil`), of `actor` and `action`
    /// when given (exact).
    ///
    /// - Throws: ``InputError`` for a limit below 1 or above 1000, and for an actor or action
    ///   too long or holding control characters.
    public func page(
        actor: String?, action: String?, before: Int64?, limit: Int, on connection: PostgresConnection
    ) async throws -> Page {
        guard (1...1000).contains(limit) else { throw InputError(field: "limit", reason: "must be 1 to 1000") }
        for (field, value) in [("actor", actor), ("action", action)] {
            if let value, let problem = TextInput.problem(value, maximumLength: Self.maximumFilterLength) {
                throw InputError(field: field, reason: problem)
            }
        }
        let rows = try await connection.query(
            """
            SELECT id, at, actor, source, action, entity, entity_id, changes::text
            FROM audit_log
            WHERE (\(before)::bigint IS NULL OR id < \(before))
              AND (\(actor)::text IS NULL OR actor = \(actor))
              AND (\(action)::text IS NULL OR action = \(action))
            ORDER BY id DESC LIMIT \(limit + 1)
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
        let entries = Array(records.prefix(limit))
        return Page(entries: entries, nextBefore: records.count > limit ? entries.last?.id : nil)
    }
}
