import OutpostTestSupport
import PostgresNIO
import Testing

@Suite("branches.device_count trigger", .tags(.postgres), .needsPostgres)
struct BranchDeviceCountTests {
    @Test("follows inserts, deletes, branch moves and branch-less devices")
    func followsInventory() async throws {
        try await TestDatabase.withMigrated { db, _ in
            try await db.execute(
                "INSERT INTO branches (name, display_name) VALUES ('tbilisi-1', 'Tbilisi 1'), ('batumi-1', 'Batumi 1')")
            // Each step's statements, then the device counts of the two branches they leave.
            let steps: [(statements: [String], counts: [String])] = [
                (
                    [
                        """
                        INSERT INTO standalone_devices (name, ip, branch_id)
                        SELECT 'dev' || g, '10.0.0.' || g, (SELECT id FROM branches WHERE name = 'tbilisi-1') FROM generate_series(1, 3) g
                        """,
                        "INSERT INTO standalone_devices (name, ip) VALUES ('orphan', '10.9.9.9')",
                    ], ["batumi-1=0", "tbilisi-1=3"]
                ),
                (
                    [
                        "UPDATE standalone_devices SET branch_id = (SELECT id FROM branches WHERE name = 'batumi-1') WHERE name = 'dev1'"
                    ], ["batumi-1=1", "tbilisi-1=2"]
                ),
                // An update that does not move the device leaves the counts alone.
                (
                    ["UPDATE standalone_devices SET name = 'dev2-renamed' WHERE name = 'dev2'"],
                    ["batumi-1=1", "tbilisi-1=2"]
                ),
                (
                    [
                        "UPDATE standalone_devices SET branch_id = (SELECT id FROM branches WHERE name = 'tbilisi-1') WHERE name = 'orphan'"
                    ], ["batumi-1=1", "tbilisi-1=3"]
                ),
                (
                    ["UPDATE standalone_devices SET branch_id = NULL WHERE name = 'dev1'"],
                    ["batumi-1=0", "tbilisi-1=3"]
                ),
                (["DELETE FROM standalone_devices WHERE name IN ('dev3', 'orphan')"], ["batumi-1=0", "tbilisi-1=1"]),
            ]
            for step in steps {
                for statement in step.statements { try await db.execute(statement) }
                #expect(
                    try await db.strings("SELECT name || '=' || device_count FROM branches ORDER BY name")
                        == step.counts, "after \(step.statements)")
            }

            // Deleting a branch detaches its devices (ON DELETE SET NULL) without tripping the trigger.
            try await db.execute("DELETE FROM branches WHERE name = 'tbilisi-1'")
            #expect(try await db.integer("SELECT count(*) FROM standalone_devices WHERE branch_id IS NULL") == 2)
        }
    }
}
