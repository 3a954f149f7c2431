import Foundation
import PostgresNIO

/// What acknowledging an alert did.
public enum AlertAcknowledgement: Sendable, Equatable {
    /// The row is now acknowledged (by the user, if one was named).
    case acknowledged
    /// It was acknowledged before; nothing changed.
    case alreadyAcknowledged
    /// No `alert_history` row has this id.
    case notFound
    /// No user has this name; nothing changed.
    case unknownUser
}

extension AlertRuleStore {
    /// Marks an `alert_history` row acknowledged at `time`, by the user named `username` if given.
    public func acknowledge(
        historyID: UUID, by username: String?, at time: Date, on connection: PostgresConnection
    ) async throws -> AlertAcknowledgement {
        var userID: Int32?
        if let username {
            let users = try await connection.query("SELECT id FROM users WHERE username = \(username)", logger: logger)
            for try await id in users.decode(Int32.self) { userID = id }
            guard userID != nil else { return .unknownUser }
        }
        let updated = try await connection.query(
            """
            UPDATE alert_history SET acknowledged = TRUE, acknowledged_at = \(time), acknowledged_by = \(userID)
            WHERE id = \(historyID) AND NOT acknowledged RETURNING id
            """, logger: logger)
        for try await _ in updated.decode(UUID.self) { return .acknowledged }
        let existing = try await connection.query(
            "SELECT count(*) FROM alert_history WHERE id = \(historyID)", logger: logger)
        for try await count in existing.decode(Int.self) where count > 0 { return .alreadyAcknowledged }
        return .notFound
    }
}
