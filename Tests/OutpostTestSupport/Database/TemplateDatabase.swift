import Crypto
import Foundation
import OutpostStore
import PostgresNIO
import Synchronization

/// A database migrated to the latest schema once per server and test process, which
/// ``TestDatabase/withMigrated(server:_:)`` clones for every test (`CREATE DATABASE … TEMPLATE`)
/// instead of replaying every migration.
///
/// Its name carries a digest of the migrations, so a changed migration gets a new template.
/// It is built under a temporary name and renamed when complete, under an advisory lock: test
/// processes and tests running in parallel neither race nor see a half-migrated template. No
/// connection to it stays open (PostgreSQL refuses to copy a database others are connected to).
enum TemplateDatabase {
    /// `outpost_template_<digest>`, from the versions, names and SQL of the migrations.
    static let name: String = {
        var hash = SHA256()
        for migration in Migration.all {
            hash.update(data: Data("\(migration.version)\u{0}\(migration.name)\u{0}\(migration.sql)\u{0}".utf8))
        }
        return "outpost_template_" + hash.finalize().prefix(8).map { String(format: "%02x", $0) }.joined()
    }()

    /// Serialises the builders of all test processes on one server.
    private static let lockKey: Int64 = 0x6F75_7470_7465_6D70

    /// The servers whose template this process has made sure of, by "host:port".
    private static let ready = Mutex<[String: Task<Void, any Error>]>([:])

    /// Makes sure `server` has the template; builds it at most once per process and server.
    static func prepare(on server: DatabaseURL) async throws {
        let key = "\(server.host):\(server.port)"
        let task = ready.withLock { tasks in
            if let task = tasks[key] { return task }
            let task = Task { try await build(on: server) }
            tasks[key] = task
            return task
        }
        do {
            try await task.value
        } catch {
            // A server a test restarted may be back: let the next test try again.
            _ = ready.withLock { $0.removeValue(forKey: key) }
            throw error
        }
    }

    private static func build(on server: DatabaseURL) async throws {
        let logger = TestDatabase.logger
        let admin = try await PostgresConnection.connect(
            configuration: server.connectionConfiguration(), id: 1, logger: logger)
        do {
            try await admin.query("SELECT pg_advisory_lock(\(lockKey))", logger: logger)
            let existing = try await admin.strings("SELECT datname FROM pg_database WHERE datname = '\(name)'")
            if existing.isEmpty {
                let building = "\(name)_building_\(getpid())"
                try await admin.query(
                    PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(building) WITH (FORCE)"), logger: logger)
                try await admin.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(building)"), logger: logger)
                let connection = try await PostgresConnection.connect(
                    configuration: try server.with(database: building).connectionConfiguration(), id: 2, logger: logger)
                do {
                    try await MigrationRunner(logger: logger).migrate(on: connection)
                    try await connection.close()
                } catch {
                    try? await connection.close()
                    throw error
                }
                try await admin.query(
                    PostgresQuery(unsafeSQL: "ALTER DATABASE \(building) RENAME TO \(name)"), logger: logger)
                try await admin.query(
                    PostgresQuery(unsafeSQL: "ALTER DATABASE \(name) WITH IS_TEMPLATE true"), logger: logger)
            }
            try await admin.query("SELECT pg_advisory_unlock(\(lockKey))", logger: logger)
            try await admin.close()
        } catch {
            try? await admin.close()
            throw error
        }
    }
}
