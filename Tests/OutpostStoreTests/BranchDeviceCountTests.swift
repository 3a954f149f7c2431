import OutpostTestSupport
import PostgresNIO
import Testing

@Suite("branches.device_count trigger", .tags(.postgres), .needsPostgres)
struct BranchDeviceCountTests {
    @Test("follows inserts, deletes, branch moves and branch-less devices")
    func followsInventory() async throws {
        try await TestDatabase.withMigrated { db, _ in
            try await db.query(
                "INSERT INTO branches (name, display_name) VALUES ('tbilisi-1', 'Tbilisi 1'), ('batumi-1', 'Batumi 1')",
                logger: TestDatabase.logger)
            func counts() async throws -> [String] {
                try await db.strings("SELECT name || '=' || device_count FROM branches ORDER BY name")
            }
            let insert = """
                INSERT INTO standalone_devices (name, ip, branch_id)
                SELECT 'dev' || g, '10.0.0.' || g, (SELECT id FROM branches WHERE name = 'tbilisi-1') FROM generate_series(1, 3) g
                """
            try await db.query(PostgresQuery(unsafeSQL: insert), logger: TestDatabase.logger)
            try await db.query(
                "INSERT INTO standalone_devices (name, ip) VALUES ('orphan', '10.9.9.9')", logger: TestDatabase.logger)
            #expect(try await counts() == ["batumi-1=0", "tbilisi-1=3"])

            try await db.query(
                "UPDATE standalone_devices SET branch_id = (SELECT id FROM branches WHERE name = 'batumi-1') WHERE name = 'dev1'",
                logger: TestDatabase.logger)
            #expect(try await counts() == ["batumi-1=1", "tbilisi-1=2"])

            // An update that does not move the device leaves the counts alone.
            try await db.query(
                "UPDATE standalone_devices SET name = 'dev2-renamed' WHERE name = 'dev2'", logger: TestDatabase.logger)
            #expect(try await counts() == ["batumi-1=1", "tbilisi-1=2"])

            try await db.query(
                "UPDATE standalone_devices SET branch_id = (SELECT id FROM branches WHERE name = 'tbilisi-1') WHERE name = 'orphan'",
                logger: TestDatabase.logger)
            #expect(try await counts() == ["batumi-1=1", "tbilisi-1=3"])

            try await db.query(
                "UPDATE standalone_devices SET branch_id = NULL WHERE name = 'dev1'", logger: TestDatabase.logger)
            #expect(try await counts() == ["batumi-1=0", "tbilisi-1=3"])

            try await db.query(
                "DELETE FROM standalone_devices WHERE name IN ('dev3', 'orphan')", logger: TestDatabase.logger)
            #expect(try await counts() == ["batumi-1=0", "tbilisi-1=1"])

            // Deleting a branch detaches its devices (ON DELETE SET NULL) without tripping the trigger.
            try await db.query("DELETE FROM branches WHERE name = 'tbilisi-1'", logger: TestDatabase.logger)
            #expect(try await db.integer("SELECT count(*) FROM standalone_devices WHERE branch_id IS NULL") == 2)
        }
    }
}
