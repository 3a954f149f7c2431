/// One numbered schema change, embedded in the binary as SQL text.
///
/// The SQL of each migration is a file of `Resources/Migrations/`, embedded at build time by
/// the EmbedResources plugin. Migrations are applied in `version` order, each in its own
/// transaction, and recorded in `schema_migrations` with a checksum of their SQL (every byte
/// of the file, which ends without a newline) so an edited, already-applied migration is
/// detected instead of silently skipped.
public struct Migration: Sendable {
    /// Position in the sequence; unique, starting at 1.
    public let version: Int
    /// Short snake_case name shown by `migrate --status`.
    public let name: String
    /// The SQL script, possibly several statements. Must be idempotent-safe only in the
    /// sense that it runs exactly once per database; the runner guarantees that.
    public let sql: String

    /// Creates a migration.
    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}
