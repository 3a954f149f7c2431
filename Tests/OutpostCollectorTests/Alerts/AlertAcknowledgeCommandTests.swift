import Foundation
import OutpostCore
import OutpostTestSupport
import PostgresNIO
import Testing

/// `outpost-collector alerts ack`, run as the real binary.
extension AlertEngineTests {
    @Test(
        "`outpost-collector alerts ack ID --by USER` acknowledges once, naming the user; unknown ids and users are refused"
    )
    func acknowledgeCommand() async throws {
        try await Self.withFleet { db, database, fleet in
            try await Self.addRule(db, name: "down", expression: "ping_unreachable >= 1")
            let alert = UUID()
            try await db.query(
                """
                INSERT INTO alert_history (id, rule_id, device_id, severity, message)
                SELECT \(alert), id, \(fleet.a.uuid), 'critical', 'down' FROM alert_rules
                """, logger: TestDatabase.logger)
            try await db.query(
                """
                INSERT INTO users (username, email, hashed_password) VALUES ('nino', 'nino@example.com', 'x')
                """, logger: TestDatabase.logger)
            let url =
                "postgres://\(database.url.username)@\(database.url.host):\(database.url.port)/\(database.url.database)"
            func ack(_ arguments: [String]) async throws -> String {
                try await Command.output(
                    try BuiltProduct.collector, ["alerts", "ack"] + arguments + ["--database-url", url])
            }
            func refusal(_ arguments: [String]) async -> String {
                do {
                    _ = try await ack(arguments)
                    return "accepted"
                } catch {
                    return "\(error)"
                }
            }
            let id = alert.uuidString.lowercased()
            #expect(await refusal([id, "--by", "nobody"]).contains("no user \"nobody\"; nothing changed"))
            #expect(try await db.strings("SELECT acknowledged::text FROM alert_history") == ["false"])
            #expect(try await ack([id, "--by", "nino"]).contains("alert \(id) acknowledged by nino"))
            #expect(
                try await db.strings(
                    """
                    SELECT u.username || ':' || (h.acknowledged_at IS NOT NULL)::text
                    FROM alert_history h JOIN users u ON u.id = h.acknowledged_by
                    """) == ["nino:true"])
            #expect(await refusal([id]).contains("was already acknowledged"))
            #expect(
                try await db.strings("SELECT actor || ' ' || action FROM audit_log WHERE entity = 'alert'").map {
                    $0.hasPrefix("cli:") && $0.hasSuffix(" acknowledge")
                } == [true])
            let resolve = try await Command.output(
                try BuiltProduct.collector,
                ["alerts", "resolve", id, "--by", "nino", "--comment", "fixed the cable", "--database-url", url])
            #expect(resolve.contains("alert \(id) resolved by nino"))
            #expect(
                try await db.strings("SELECT resolution_comment FROM alert_history WHERE resolved_at IS NOT NULL")
                    == ["fixed the cable"])
            #expect(await refusal([UUID().uuidString]).contains("no alert"))
            #expect(await refusal(["42"]).contains("not an alert id: \"42\""))
        }
    }
}
