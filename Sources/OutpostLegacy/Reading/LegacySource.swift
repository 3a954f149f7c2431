/// A legacy database to read: the SQLite file or a PostgreSQL copy of the same tables.
/// Columns are read by name and missing ones are NULL (older files lack later columns).
public protocol LegacySource: Sendable {
    /// Where the rows come from, for the report (never a password).
    var description: String { get }
    /// The columns of `table`, empty when the table does not exist.
    func columns(of table: String) async throws -> Set<String>
    /// Rows of `table` (those of `wanted` columns it has), in `orderBy` order.
    func rows(of table: String, columns wanted: [String], orderBy: String) async throws -> [LegacyRow]
    /// At most `limit` rows of `table` whose integer `key` is above `after`, in key order.
    func rows(of table: String, columns wanted: [String], key: String, after: Int64, limit: Int) async throws
        -> [LegacyRow]
    /// The value of a single-value query over one table (`SELECT max(...) FROM …`), as text.
    func scalar(_ sql: String) async throws -> String?
    func close() async throws
}
