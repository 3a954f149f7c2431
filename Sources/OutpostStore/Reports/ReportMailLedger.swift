import Foundation
import Logging
import PostgresNIO

/// Which monthly report e-mails were sent, so that one goes out once per month across every
/// collector and restart: a row `report_mail.YYYY-MM` of `system_config`, claimed (`sending …`)
/// by one sender before it sends, then marked `sent …`. A claim is only released when sending
/// failed for sure; a sender that dies while sending leaves its claim, and the month is not sent
/// again (docs/reports.md: at most once).
public struct ReportMailLedger: Sendable {
    let logger: Logger

    /// Creates the ledger.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// The key of `month`'s row.
    static func key(_ window: ReportWindow) -> String {
        "report_mail." + String(window.from.formatted(.iso8601).prefix(7))
    }

    /// Claims `month` for `sender`: `true` when nobody had claimed it yet (the caller sends).
    public func claim(_ month: ReportWindow, sender: String, at time: Date, on connection: PostgresConnection)
        async throws -> Bool
    {
        let value = "sending \(time.formatted(.iso8601)) \(sender.prefix(200))"
        let rows = try await connection.query(
            """
            INSERT INTO system_config (key, value, description)
            VALUES (\(Self.key(month)), \(value), 'monthly availability report e-mail')
            ON CONFLICT (key) DO NOTHING RETURNING id
            """, logger: logger)
        for try await _ in rows.decode(Int32.self) { return true }
        return false
    }

    /// Records that `month`'s mail was accepted by the relay.
    public func markSent(_ month: ReportWindow, at time: Date, on connection: PostgresConnection) async throws {
        let value = "sent \(time.formatted(.iso8601))"
        try await connection.query(
            """
            UPDATE system_config SET value = \(value), updated_at = now()
            WHERE key = \(Self.key(month))
            """, logger: logger)
    }

    /// Gives up a claim whose sending failed, so a later pass tries again.
    public func release(_ month: ReportWindow, on connection: PostgresConnection) async throws {
        try await connection.query(
            "DELETE FROM system_config WHERE key = \(Self.key(month)) AND value LIKE 'sending %'", logger: logger)
    }

    /// `month`'s row: `sending …`, `sent …`, or `nil` when nobody claimed it.
    public func state(of month: ReportWindow, on connection: PostgresConnection) async throws -> String? {
        let rows = try await connection.query(
            "SELECT value FROM system_config WHERE key = \(Self.key(month))", logger: logger)
        for try await value in rows.decode(String?.self) { return value }
        return nil
    }
}
