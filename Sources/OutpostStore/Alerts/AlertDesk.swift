import Foundation
import Logging
import PostgresNIO

/// Alerts as operators work them: listed with filters and keyset pages, acknowledged and
/// resolved by hand with a comment, each action written to the audit log (entity `alert`) in
/// its transaction.
public struct AlertDesk: Sendable {
    /// Longest comment accepted on an acknowledgement or resolution.
    public static let maximumCommentLength = 1000

    let logger: Logger

    /// Creates a desk logging to `logger`.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// The alerts `filter` selects, newest first (ties by id), one page.
    ///
    /// - Throws: ``InputError`` for a limit out of range, an unknown severity, an empty
    ///   time range or a cursor not made here.
    public func list(_ filter: AlertFilter, on connection: PostgresConnection) async throws -> AlertPage {
        let cursor = try filter.validated()
        let regions = filter.regions.map { Array($0) }
        let needle = filter.deviceText.flatMap { $0.isEmpty ? nil : $0.lowercased() }
        let rows = try await fetch(
            """
            WHERE (\(filter.open)::boolean IS NULL OR (h.resolved_at IS NULL) = \(filter.open))
              AND (\(filter.branch)::text IS NULL OR b.name = \(filter.branch))
              AND (\(regions)::text[] IS NULL OR b.region = ANY(\(regions)))
              AND (\(filter.deviceID)::uuid IS NULL OR h.device_id = \(filter.deviceID))
              AND (\(needle)::text IS NULL OR strpos(lower(d.name), \(needle)) > 0)
              AND (\(filter.severity)::text[] IS NULL OR h.severity = ANY(\(filter.severity)))
              AND (\(filter.since)::timestamptz IS NULL OR h.triggered_at >= \(filter.since))
              AND (\(filter.until)::timestamptz IS NULL OR h.triggered_at < \(filter.until))
              AND (\(cursor?.microseconds)::bigint IS NULL
                   OR (h.triggered_at, h.id)
                      < ('epoch'::timestamptz + \(cursor?.microseconds) * interval '1 microsecond', \(cursor?.id)::uuid))
            ORDER BY h.triggered_at DESC, h.id DESC
            LIMIT \(filter.limit + 1)
            """, on: connection)
        let page = rows.prefix(filter.limit)
        let next =
            rows.count > filter.limit
            ? page.last.map { AlertCursor(microseconds: $0.microseconds, id: $0.view.id) } : nil
        return AlertPage(alerts: page.map(\.view), nextCursor: next?.text)
    }

    /// The alert with this id, if any (its ``AlertView/region`` decides who may see it).
    public func alert(id: UUID, on connection: PostgresConnection) async throws -> AlertView? {
        try await fetch("WHERE h.id = \(id)", on: connection).first?.view
    }

    /// Acknowledges an alert now, by `user` (a `users.id`) if given, with an optional comment.
    ///
    /// - Throws: ``InputError`` for a comment too long or an unknown user.
    public func acknowledge(
        id: UUID, comment: String?, by user: Int32?, actor: AuditActor, on connection: PostgresConnection
    ) async throws -> AlertActionResult {
        try await act(.acknowledge, id: id, comment: comment, by: user, actor: actor, on: connection)
    }

    /// Resolves an open alert by hand now, by `user` (a `users.id`) if given, with an optional comment.
    ///
    /// - Throws: ``InputError`` for a comment too long or an unknown user.
    public func resolve(
        id: UUID, comment: String?, by user: Int32?, actor: AuditActor, on connection: PostgresConnection
    ) async throws -> AlertActionResult {
        try await act(.resolve, id: id, comment: comment, by: user, actor: actor, on: connection)
    }

    /// What an operator does to an alert by hand; the raw value is the audit entry's action.
    private enum Action: String {
        case acknowledge, resolve

        /// The flag the action sets, as the audit entry names it.
        var flag: String { self == .acknowledge ? "acknowledged" : "resolved" }

        /// The audit entry's key (and column) for the comment.
        var commentKey: String { self == .acknowledge ? "acknowledgement_comment" : "resolution_comment" }

        /// Whether an alert in `state` has had the action already.
        func isDone(_ state: (acknowledged: Bool, resolved: Bool)) -> Bool {
            self == .acknowledge ? state.acknowledged : state.resolved
        }

        /// The statement that takes the action on alert `id`.
        func update(id: UUID, user: Int32?, comment: String?) -> PostgresQuery {
            switch self {
            case .acknowledge:
                """
                UPDATE alert_history SET acknowledged = TRUE, acknowledged_at = now(), acknowledged_by = \(user),
                       acknowledgement_comment = \(comment)
                WHERE id = \(id)
                """
            case .resolve:
                """
                UPDATE alert_history SET resolved_at = GREATEST(now(), triggered_at), resolved_by = \(user),
                       resolution_comment = \(comment)
                WHERE id = \(id)
                """
            }
        }
    }

    /// Takes `action` on alert `id` in one transaction with its audit entry, unless it was taken before.
    private func act(
        _ action: Action, id: UUID, comment: String?, by user: Int32?, actor: AuditActor,
        on connection: PostgresConnection
    ) async throws -> AlertActionResult {
        try Self.validate(comment: comment)
        return try await connection.transaction(logger: logger) { connection in
            let username = try await self.username(user, on: connection)
            guard let state = try await lock(id, on: connection) else { return .notFound }
            if action.isDone(state) { return .alreadyDone }
            try await connection.query(action.update(id: id, user: user, comment: comment), logger: logger)
            try await AuditLog(logger: logger).append(
                .diff(
                    action: action.rawValue, entity: "alert", entityID: id.uuidString.lowercased(),
                    before: [action.flag: .bool(false)],
                    after: [
                        action.flag: .bool(true), action.flag + "_by": .optional(username),
                        action.commentKey: .optional(comment),
                    ]), by: actor, on: connection)
            return .done
        }
    }

    static func validate(comment: String?) throws(InputError) {
        if let comment,
            let problem = TextInput.problem(
                comment, minimumLength: 0, maximumLength: maximumCommentLength, multiline: true)
        {
            throw InputError(field: "comment", reason: problem)
        }
    }

    /// The username of `user`; refuses an id no user has.
    private func username(_ user: Int32?, on connection: PostgresConnection) async throws -> String? {
        guard let user else { return nil }
        let rows = try await connection.query("SELECT username FROM users WHERE id = \(user)", logger: logger)
        for try await name in rows.decode(String.self) { return name }
        throw InputError(field: "user", reason: "no user has id \(user)")
    }

    /// Locks the alert's row; whether it is acknowledged and resolved, or `nil` if there is none.
    private func lock(_ id: UUID, on connection: PostgresConnection) async throws -> (
        acknowledged: Bool, resolved: Bool
    )? {
        let rows = try await connection.query(
            "SELECT acknowledged, resolved_at IS NOT NULL FROM alert_history WHERE id = \(id) FOR UPDATE",
            logger: logger)
        for try await (acknowledged, resolved) in rows.decode((Bool, Bool).self) { return (acknowledged, resolved) }
        return nil
    }

    /// The alerts a `WHERE …` (and optional `ORDER BY`/`LIMIT`) clause selects, with each one's
    /// `triggered_at` in exact microseconds for the cursor.
    private func fetch(_ clause: PostgresQuery, on connection: PostgresConnection) async throws -> [(
        view: AlertView, microseconds: Int64
    )] {
        let select = """
            SELECT h.id, h.rule_id, COALESCE(h.rule_name, r.name), h.device_id, d.name, b.name, b.region,
                   h.severity, h.message, h.value, h.triggered_at, h.resolved_at, h.acknowledged, au.username,
                   h.acknowledged_at, h.acknowledgement_comment, ru.username, h.resolution_comment,
                   h.in_maintenance, h.kind, (extract(epoch FROM h.triggered_at) * 1000000)::bigint,
                   (SELECT j.id FROM diagnostic_jobs j WHERE j.alert_history_id = h.id
                    ORDER BY j.created_at DESC, j.id LIMIT 1)
            FROM alert_history h
            JOIN alert_rules r ON r.id = h.rule_id
            LEFT JOIN standalone_devices d ON d.id = h.device_id
            LEFT JOIN branches b ON b.id = d.branch_id
            LEFT JOIN users au ON au.id = h.acknowledged_by
            LEFT JOIN users ru ON ru.id = h.resolved_by

            """
        let rows = try await connection.query(
            PostgresQuery(unsafeSQL: select + clause.sql, binds: clause.binds), logger: logger)
        var alerts: [(AlertView, Int64)] = []
        for try await (
            id, rule, ruleName, device, deviceName, branch, region, severity, message, value, triggered, resolved,
            acknowledged, acknowledgedBy, acknowledgedAt, acknowledgementComment, resolvedBy, resolutionComment,
            inMaintenance, kind, microseconds, trace
        ) in rows.decode(
            (
                UUID, UUID, String, UUID?, String?, String?, String?, String, String, String?, Date, Date?, Bool,
                String?, Date?, String?, String?, String?, Bool, String, Int64, UUID?
            ).self)
        {
            alerts.append(
                (
                    AlertView(
                        id: id, ruleID: rule, ruleName: ruleName, deviceID: device, deviceName: deviceName,
                        branchName: branch, region: region, severity: severity, message: message, value: value,
                        triggeredAt: triggered, resolvedAt: resolved, acknowledged: acknowledged,
                        acknowledgedBy: acknowledgedBy, acknowledgedAt: acknowledgedAt,
                        acknowledgementComment: acknowledgementComment, resolvedBy: resolvedBy,
                        resolutionComment: resolutionComment, inMaintenance: inMaintenance, kind: kind,
                        traceJobID: trace),
                    microseconds
                ))
        }
        return alerts
    }
}
