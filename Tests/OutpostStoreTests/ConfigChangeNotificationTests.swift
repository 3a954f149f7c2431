import Foundation
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@Suite("Configuration change notifications (migration 4)", .tags(.postgres), .needsPostgres)
struct ConfigChangeNotificationTests {
    static let branchA = UUID(uuidString: "aaaaaaaa-0000-0000-0000-000000000001")!
    static let branchB = UUID(uuidString: "bbbbbbbb-0000-0000-0000-000000000002")!
    static let device = UUID(uuidString: "dddddddd-0000-0000-0000-000000000003")!

    @Test("devices, items, credentials and templates notify the branches they belong to; probe-status writes do not")
    func notifiesAffectedBranches() async throws {
        try await TestDatabase.withMigrated { db, database in
            try await db.query(
                """
                INSERT INTO branches (id, name, display_name) VALUES (\(Self.branchA), 'a', 'A'), (\(Self.branchB), 'b', 'B')
                """, logger: TestDatabase.logger)
            let listener = try await database.connect()
            try await listener.listen(on: BranchConfigStore.changeChannel) { notifications in
                try await Self.expectNotices(NotificationReader(notifications, writer: db))
            }
            try await listener.close()
        }
    }

    /// The statements of the scenario and the branches each must notify.
    static func expectNotices(_ reader: NotificationReader) async throws {
        let notified = reader.notices(causedBy:)
        let (a, b, device) = (Self.branchA, Self.branchB, Self.device)
        #expect(
            try await notified(
                "INSERT INTO standalone_devices (id, name, ip, branch_id) VALUES ('\(device)', 'r1', '127.0.0.1', '\(a)')"
            ) == [.branch(a)])
        #expect(
            try await notified("UPDATE standalone_devices SET ip = '127.0.0.2' WHERE id = '\(device)'") == [.branch(a)])
        #expect(
            try await notified("UPDATE standalone_devices SET enabled = false WHERE id = '\(device)'") == [.branch(a)])
        // What ingest writes after every batch is not configuration.
        #expect(
            try await notified(
                """
                UPDATE standalone_devices SET last_seen = now(), down_since = now(), last_probe_at = now(), updated_at = now()
                WHERE id = '\(device)'
                """) == [])
        // Nor is the alert engine's flapping flag (migration 8).
        #expect(try await notified("UPDATE standalone_devices SET is_flapping = true WHERE id = '\(device)'") == [])
        #expect(
            try await notified("UPDATE standalone_devices SET name = name WHERE id = '\(device)'") == [],
            "a no-op update")
        #expect(
            Set(try await notified("UPDATE standalone_devices SET branch_id = '\(b)' WHERE id = '\(device)'")) == [
                .branch(a), .branch(b),
            ])

        #expect(
            try await notified("INSERT INTO monitoring_templates (id, name) VALUES ('\(device)', 't')") == [],
            "no items yet")
        #expect(
            try await notified(
                """
                INSERT INTO monitoring_items (device_id, template_id, oid_name, oid) VALUES ('\(device)', '\(device)', 'sysUpTime', '1.3.6.1.2.1.1.3.0')
                """) == [.branch(b)])
        #expect(
            try await notified("UPDATE monitoring_items SET last_poll = now(), last_value = '1', last_error = NULL")
                == [])
        #expect(try await notified("UPDATE monitoring_items SET interval = 30") == [.branch(b)])
        #expect(try await notified("UPDATE monitoring_templates SET description = 'changed'") == [.branch(b)])
        #expect(
            try await notified(
                "INSERT INTO snmp_credentials (device_id, version, community_encrypted) VALUES ('\(device)', 'v2c', 'x')"
            ) == [.branch(b)])
        #expect(try await notified("UPDATE snmp_credentials SET community_encrypted = 'y'") == [.branch(b)])

        // 100 changes of one branch in one transaction: PostgreSQL folds identical notifications.
        #expect(
            try await notified(
                """
                INSERT INTO standalone_devices (name, ip, branch_id) SELECT 'bulk' || g, '127.0.3.' || g, '\(b)' FROM generate_series(1, 100) g
                """) == [.branch(b)])
        #expect(
            try await notified("INSERT INTO standalone_devices (name, ip) VALUES ('unassigned', '127.0.4.1')") == [],
            "no branch, no agent")
        // The ping settings reach every agent; other settings none.
        #expect(
            try await notified("INSERT INTO system_config (key, value) VALUES ('ping.interval_seconds', '30')") == [
                .allBranches
            ])
        #expect(
            try await notified("UPDATE system_config SET value = '20' WHERE key = 'ping.interval_seconds'") == [
                .allBranches
            ])
        #expect(try await notified("INSERT INTO system_config (key, value) VALUES ('ui.theme', 'dark')") == [])
        // Deleting the device cascades to its items and credentials: its branch hears once.
        #expect(try await notified("DELETE FROM standalone_devices WHERE id = '\(device)'") == [.branch(b)])
    }
}

/// Reads the configuration change notices caused by one statement.
final class NotificationReader {
    private var iterator: PostgresNotificationSequence.AsyncIterator
    private let writer: PostgresConnection

    init(_ notifications: PostgresNotificationSequence, writer: PostgresConnection) {
        iterator = notifications.makeAsyncIterator()
        self.writer = writer
    }

    /// The notices caused by `sql` (run as one transaction on the writer), in notification order.
    func notices(causedBy sql: String) async throws -> [ConfigChangeNotice] {
        _ = try await writer.withTransaction(logger: TestDatabase.logger) { transaction in
            try await transaction.query(PostgresQuery(unsafeSQL: sql), logger: TestDatabase.logger)
        }
        // Notifications of one session arrive in commit order: this marks the end.
        try await writer.query(
            "SELECT pg_notify(\(BranchConfigStore.changeChannel), 'end')", logger: TestDatabase.logger)
        var branches: [ConfigChangeNotice] = []
        while let notification = try await iterator.next(), notification.payload != "end" {
            branches.append(try ConfigChangeNotice(payload: notification.payload))
        }
        return branches
    }
}
