import Crypto
import Foundation
import Logging
import PostgresNIO

/// Applies the embedded migrations to a database, safely when several collectors start together.
///
/// The runner holds a session advisory lock for its whole run, so a second runner waits and
/// then finds nothing left to do. Each migration runs in its own transaction together with its
/// `schema_migrations` row: a migration is either fully applied and recorded, or not at all.
public struct MigrationRunner: Sendable {
    /// State of one migration in a database.
    public struct Status: Sendable, Equatable {
        public let version: Int
        public let name: String
        /// When it was applied, `nil` while pending.
        public let appliedAt: Date?
    }

    /// Progress reported while applying.
    public enum Progress: Sendable {
        case waitingForLock
        case applying(Migration, index: Int, of: Int)
        case applied(Migration, seconds: Double)
        case upToDate(appliedCount: Int)
    }

    /// A database the runner cannot safely migrate.
    public enum Failure: Error, CustomStringConvertible {
        /// An applied migration's SQL differs from the one in this binary.
        case checksumMismatch(version: Int, name: String)
        /// The database has migrations this binary does not know (it is older than the schema).
        case unknownVersions([Int])

        public var description: String {
            switch self {
            case .checksumMismatch(let version, let name):
                "migration \(version) (\(name)) was applied with different SQL than this binary carries; refusing to continue"
            case .unknownVersions(let versions):
                "database has migrations \(versions) this binary does not know; it is newer than this collector"
            }
        }
    }

    /// Advisory lock key shared by every runner ("outpost:migrate").
    static let lockKey: Int64 = 0x6F75_7470_6D69_6772

    private let migrations: [Migration]
    private let logger: Logger

    /// A runner for `migrations` (default: every migration of this binary).
    public init(migrations: [Migration] = Migration.all, logger: Logger) {
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.logger = logger
    }

    /// Applies every pending migration in order; returns how many were applied.
    @discardableResult
    public func migrate(
        on connection: PostgresConnection,
        progress: @Sendable (Progress) -> Void = { _ in }
    ) async throws -> Int {
        progress(.waitingForLock)
        try await connection.query("SELECT pg_advisory_lock(\(Self.lockKey))", logger: logger)
        do {
            let applied = try await applyPending(on: connection, progress: progress)
            try await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger)
            return applied
        } catch {
            _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger)
            throw error
        }
    }

    /// Every known migration with the time it was applied, or `nil` when pending.
    public func status(on connection: PostgresConnection) async throws -> [Status] {
        try await ensureBookkeepingTable(on: connection)
        let recorded = try await recordedMigrations(on: connection)
        return migrations.map { migration in
            Status(version: migration.version, name: migration.name, appliedAt: recorded[migration.version]?.appliedAt)
        }
    }

    private func applyPending(on connection: PostgresConnection, progress: @Sendable (Progress) -> Void) async throws
        -> Int
    {
        try await ensureBookkeepingTable(on: connection)
        let recorded = try await recordedMigrations(on: connection)
        let known = Set(migrations.map(\.version))
        let unknown = recorded.keys.filter { !known.contains($0) }.sorted()
        guard unknown.isEmpty else { throw Failure.unknownVersions(unknown) }
        for migration in migrations {
            if let record = recorded[migration.version], record.checksum != Self.checksum(migration) {
                throw Failure.checksumMismatch(version: migration.version, name: migration.name)
            }
        }
        let pending = migrations.filter { recorded[$0.version] == nil }
        for (offset, migration) in pending.enumerated() {
            progress(.applying(migration, index: offset + 1, of: pending.count))
            let started = ContinuousClock.now
            try await apply(migration, on: connection)
            let elapsed = started.duration(to: .now)
            progress(
                .applied(
                    migration,
                    seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
        }
        progress(.upToDate(appliedCount: recorded.count + pending.count))
        return pending.count
    }

    private func apply(_ migration: Migration, on connection: PostgresConnection) async throws {
        let statements = SQLScript.statements(migration.sql)
        let checksum = Self.checksum(migration)
        let logger = self.logger
        try await connection.withTransaction(logger: logger) { connection in
            for statement in statements {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            try await connection.query(
                "INSERT INTO schema_migrations (version, name, checksum) VALUES (\(migration.version), \(migration.name), \(checksum))",
                logger: logger)
        }
    }

    private func ensureBookkeepingTable(on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    INTEGER PRIMARY KEY,
                name       VARCHAR(100) NOT NULL,
                checksum   CHAR(64) NOT NULL,
                applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """, logger: logger)
    }

    private func recordedMigrations(on connection: PostgresConnection) async throws -> [Int: (
        checksum: String, appliedAt: Date
    )] {
        let rows = try await connection.query(
            "SELECT version, checksum, applied_at FROM schema_migrations", logger: logger)
        var result: [Int: (checksum: String, appliedAt: Date)] = [:]
        for try await (version, checksum, appliedAt) in rows.decode((Int, String, Date).self) {
            result[version] = (checksum, appliedAt)
        }
        return result
    }

    /// SHA-256 of the migration's SQL, hex.
    static func checksum(_ migration: Migration) -> String {
        SHA256.hash(data: Data(migration.sql.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }
}
