import Foundation
import Logging
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostStore

@Suite("Migrations", .tags(.postgres), .needsPostgres)
struct MigrationRunnerTests {
    @Test("a fresh database gets every migration, recorded in order with checksums")
    func appliesEverything() async throws {
        try await TestDatabase.withEmpty { connection, _ in
            let applied = try await MigrationRunner(logger: TestDatabase.logger).migrate(on: connection)
            #expect(applied == Migration.all.count)
            let versions = try await connection.strings(
                "SELECT version::text FROM schema_migrations ORDER BY schema_migrations.version")
            #expect(versions == Migration.all.map { String($0.version) })
            let checksums = try await connection.strings("SELECT checksum FROM schema_migrations ORDER BY version")
            #expect(checksums == Migration.all.map(MigrationRunner.checksum))
        }
    }

    @Test("migrating twice changes nothing: same schema, same rows")
    func idempotent() async throws {
        try await TestDatabase.withMigrated { connection, _ in
            let fingerprint = """
                SELECT md5(string_agg(c.relname || ':' || c.relkind::text || ':' || coalesce(a.attname, '') || ':' ||
                                      coalesce(format_type(a.atttypid, a.atttypmod), ''), ',' ORDER BY c.relname, a.attnum))
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                WHERE n.nspname = 'public'
                """
            let before = try await connection.strings(fingerprint)
            let citiesBefore = try await connection.integer("SELECT count(*) FROM georgian_cities")
            let applied = try await MigrationRunner(logger: TestDatabase.logger).migrate(on: connection)
            #expect(applied == 0)
            #expect(try await connection.strings(fingerprint) == before)
            #expect(try await connection.integer("SELECT count(*) FROM georgian_cities") == citiesBefore)
            #expect(try await connection.integer("SELECT count(*) FROM schema_migrations") == Migration.all.count)
        }
    }

    @Test("two migrators started together end with one applied set")
    func concurrentMigrators() async throws {
        try await TestDatabase.withEmpty { _, database in
            let first = try await database.connect()
            let second = try await database.connect()
            let runner = MigrationRunner(logger: TestDatabase.logger)
            async let a = runner.migrate(on: first)
            async let b = runner.migrate(on: second)
            let counts = try await [a, b]
            #expect(counts.sorted() == [0, Migration.all.count])
            #expect(try await first.integer("SELECT count(*) FROM schema_migrations") == Migration.all.count)
            #expect(
                try await first.integer("SELECT count(DISTINCT version) FROM schema_migrations") == Migration.all.count)
            try await first.close()
            try await second.close()
        }
    }

    @Test("status lists applied and pending migrations")
    func status() async throws {
        try await TestDatabase.withEmpty { connection, _ in
            let partial = MigrationRunner(migrations: Array(Migration.all.prefix(1)), logger: TestDatabase.logger)
            try await partial.migrate(on: connection)
            let status = try await MigrationRunner(logger: TestDatabase.logger).status(on: connection)
            #expect(status.map(\.version) == Migration.all.map(\.version))
            #expect(status.first?.appliedAt != nil)
            #expect(status.dropFirst().allSatisfy { $0.appliedAt == nil })
        }
    }

    @Test("an applied migration whose SQL changed is refused, not skipped")
    func checksumMismatch() async throws {
        try await TestDatabase.withMigrated { connection, _ in
            var edited = Migration.all
            edited[0] = Migration(version: 1, name: edited[0].name, sql: edited[0].sql + "\n-- edited")
            await #expect(throws: MigrationRunner.Failure.self) {
                try await MigrationRunner(migrations: edited, logger: TestDatabase.logger).migrate(on: connection)
            }
        }
    }

    @Test("a database newer than the binary is refused")
    func unknownVersion() async throws {
        try await TestDatabase.withMigrated { connection, _ in
            try await connection.execute(
                "INSERT INTO schema_migrations (version, name, checksum) VALUES (9999, 'future', repeat('0', 64))")
            await #expect(throws: MigrationRunner.Failure.self) {
                try await MigrationRunner(logger: TestDatabase.logger).migrate(on: connection)
            }
        }
    }

    @Test("a failing migration leaves nothing behind")
    func failingMigrationRollsBack() async throws {
        try await TestDatabase.withEmpty { connection, _ in
            let broken = Migration(
                version: 1, name: "broken", sql: "CREATE TABLE half (id int); SELECT no_such_function();")
            await #expect(throws: (any Error).self) {
                try await MigrationRunner(migrations: [broken], logger: TestDatabase.logger).migrate(on: connection)
            }
            let leftoverTables = try await connection.integer("SELECT count(*) FROM pg_class WHERE relname = 'half'")
            let recorded = try await connection.integer("SELECT count(*) FROM schema_migrations")
            #expect(leftoverTables == 0)
            #expect(recorded == 0)
        }
    }
}
