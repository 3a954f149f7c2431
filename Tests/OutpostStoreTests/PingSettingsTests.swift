import Logging
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@Suite("Ping settings from system_config", .tags(.postgres), .needsPostgres)
struct PingSettingsTests {
    @Test func defaultsOverridesAndOutOfRangeValues() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let store = BranchConfigStore(logger: TestDatabase.logger)
            #expect(try await store.pingSettings(on: db) == BranchConfigStore.PingSettings())

            try await db.query(
                "INSERT INTO system_config (key, value) VALUES ('ping.interval_seconds', '2.5'), ('ping.packets', '2')",
                logger: TestDatabase.logger)
            let set = try await store.pingSettings(on: db)
            #expect(set.intervalSeconds == 2.5)
            #expect(set.packets == 2)

            try await db.query(
                "UPDATE system_config SET value = CASE key WHEN 'ping.packets' THEN '5' ELSE '1' END",
                logger: TestDatabase.logger)
            #expect(try await store.pingSettings(on: db).intervalSeconds == 5, "a round of 5 packets lasts 5 s")

            try await db.query(
                "UPDATE system_config SET value = CASE key WHEN 'ping.packets' THEN '0' ELSE 'often' END",
                logger: TestDatabase.logger)
            #expect(try await store.pingSettings(on: db) == BranchConfigStore.PingSettings())
        }
    }
}
