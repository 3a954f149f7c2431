import Foundation
import Logging
import OutpostStore
import PostgresNIO

/// A legacy database some sites moved to PostgreSQL: the same tables, read through the same
/// mapping. Every column is read as its text form (`::text`), which the value decoders accept
/// beside SQLite's (t/f booleans, offsets on timestamps).
public final class PostgresLegacySource: LegacySource {
    public let description: String
    private let connection: PostgresConnection
    private let logger: Logger

    /// Connects to `url` (its password never appears in the description).
    public static func open(url: DatabaseURL, logger: Logger) async throws -> PostgresLegacySource {
        let connection = try await url.connect(id: 1, logger: logger)
        try await connection.query("SET default_transaction_read_only = on", logger: logger)
        return PostgresLegacySource(
            connection: connection, logger: logger, description: "PostgreSQL \(url.host)/\(url.database)")
    }

    private init(connection: PostgresConnection, logger: Logger, description: String) {
        self.connection = connection
        self.logger = logger
        self.description = description
    }

    public func columns(of table: String) async throws -> Set<String> {
        let rows = try await connection.query(
            """
            SELECT column_name::text FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = \(table)
            """, logger: logger)
        var names: Set<String> = []
        for try await name in rows.decode(String.self) { names.insert(name) }
        return names
    }

    public func rows(of table: String, columns wanted: [String], orderBy: String) async throws -> [LegacyRow] {
        let present = try await columns(of: table)
        guard !present.isEmpty else { return [] }
        let selected = wanted.filter(present.contains)
        // Qualified: an output column `x::text` is also named x, and ORDER BY x would sort the text.
        let order = present.contains(orderBy) ? " ORDER BY t.\(SQLiteLegacySource.quote(orderBy))" : ""
        return try await query(
            "SELECT \(list(selected)) FROM \(SQLiteLegacySource.quote(table)) AS t\(order)", columns: selected,
            table: table)
    }

    public func rows(of table: String, columns wanted: [String], key: String, after: Int64, limit: Int)
        async throws -> [LegacyRow]
    {
        let present = try await columns(of: table)
        guard !present.isEmpty else { return [] }
        let selected = wanted.filter(present.contains)
        let quotedKey = "t." + SQLiteLegacySource.quote(key)
        return try await query(
            """
            SELECT \(list(selected)) FROM \(SQLiteLegacySource.quote(table)) AS t
            WHERE \(quotedKey) > \(after) ORDER BY \(quotedKey) LIMIT \(limit)
            """, columns: selected, table: table)
    }

    public func scalar(_ sql: String) async throws -> String? {
        let rows = try await connection.query(PostgresQuery(unsafeSQL: "SELECT (\(sql))::text"), logger: logger)
        for try await value in rows.decode(String?.self) { return value }
        return nil
    }

    public func close() async throws {
        try await connection.close()
    }

    private func list(_ columns: [String]) -> String {
        columns.map { "t.\(SQLiteLegacySource.quote($0))::text" }.joined(separator: ", ")
    }

    private func query(_ sql: String, columns: [String], table: String) async throws -> [LegacyRow] {
        let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        let names = LegacyColumns(columns)
        var result: [LegacyRow] = []
        for try await row in rows {
            var cells: [LegacyValue] = []
            cells.reserveCapacity(columns.count)
            for (index, cell) in row.enumerated() where index < columns.count {
                let text = try cell.decode(String?.self)
                cells.append(text.map(LegacyValue.text) ?? .null)
            }
            result.append(LegacyRow(table: table, columns: names, cells: cells))
        }
        return result
    }
}
