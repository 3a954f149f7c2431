import Logging
import PostgresNIO

/// Whether a database's schema is the one this binary carries, checked without writing
/// anything (unlike ``MigrationRunner/status(on:)``, which creates its bookkeeping table): what
/// the collector's `/readyz` reports.
public struct SchemaReadiness: Sendable {
    /// How the applied migrations compare with this binary's.
    public enum State: Sendable, Equatable, CustomStringConvertible {
        /// Every migration of this binary is applied with the same SQL, and no other.
        case current(migrations: Int)
        /// No migration was ever applied (`schema_migrations` does not exist).
        case unmigrated
        /// These versions of this binary are not applied yet.
        case pending([Int])
        /// The database has versions this binary does not know: it is older than the schema.
        case newerThanBinary([Int])
        /// An applied migration's SQL differs from this binary's.
        case checksumMismatch(version: Int, name: String)

        /// Whether the collector can serve with this schema.
        public var isCurrent: Bool {
            if case .current = self { return true }
            return false
        }

        public var description: String {
            switch self {
            case .current(let count): "schema current (\(count) migrations applied)"
            case .unmigrated: "database is not migrated: run `outpost-collector migrate`"
            case .pending(let versions): "migrations \(versions) are not applied: run `outpost-collector migrate`"
            case .newerThanBinary(let versions):
                "database has migrations \(versions) this collector does not know; it is older than the schema"
            case .checksumMismatch(let version, let name):
                "migration \(version) (\(name)) was applied with different SQL than this collector carries"
            }
        }
    }

    private let migrations: [Migration]
    private let logger: Logger

    /// Compares databases with `migrations` (default: every migration of this binary).
    public init(migrations: [Migration] = Migration.all, logger: Logger) {
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.logger = logger
    }

    /// The schema state of the database `connection` is connected to.
    public func state(on connection: PostgresConnection) async throws -> State {
        let exists = try await connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL", logger: logger)
        for try await present in exists.decode(Bool.self) where !present { return .unmigrated }
        let rows = try await connection.query("SELECT version, checksum FROM schema_migrations", logger: logger)
        var applied: [Int: String] = [:]
        for try await (version, checksum) in rows.decode((Int, String).self) { applied[version] = checksum }
        let known = Set(migrations.map(\.version))
        let unknown = applied.keys.filter { !known.contains($0) }.sorted()
        if !unknown.isEmpty { return .newerThanBinary(unknown) }
        let changed = migrations.first { migration in
            applied[migration.version].map { $0 != MigrationRunner.checksum(migration) } ?? false
        }
        if let changed {
            return .checksumMismatch(version: changed.version, name: changed.name)
        }
        let pending = migrations.filter { applied[$0.version] == nil }.map(\.version)
        return pending.isEmpty ? .current(migrations: migrations.count) : .pending(pending)
    }
}
