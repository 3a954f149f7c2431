import Foundation
import Logging
import NIOCore
import SQLiteNIO
import Synchronization

/// The legacy `data/ward_ops.db`, opened read-only (an SQLite URI with `mode=ro`): the importer
/// never writes to the file it migrates from.
public final class SQLiteLegacySource: LegacySource {
    public let description: String
    private let connection: SQLiteConnection

    /// Opens `path` read-only; a missing or unreadable file, or one that is not SQLite, fails here.
    public static func open(path: String, logger: Logger) async throws -> SQLiteLegacySource {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw LegacySourceError(description: "cannot read \(path)")
        }
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let encoded = absolute.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? absolute
        let connection = try await SQLiteConnection.open(
            storage: .file(path: "file:\(encoded)?mode=ro"), logger: logger)
        let source = SQLiteLegacySource(connection: connection, description: "SQLite \(absolute)")
        do {
            _ = try await source.scalar("SELECT count(*) FROM sqlite_master")
        } catch {
            try? await connection.close()
            throw LegacySourceError(description: "\(absolute) is not an SQLite database: \(error)")
        }
        return source
    }

    private init(connection: SQLiteConnection, description: String) {
        self.connection = connection
        self.description = description
    }

    public func columns(of table: String) async throws -> Set<String> {
        let names = Collected<String>()
        try await connection.query("SELECT name FROM pragma_table_info(?)", [.text(table)]) { row in
            if let name = row.column("name")?.string { names.append(name) }
        }
        return Set(names.values)
    }

    public func rows(of table: String, columns wanted: [String], orderBy: String) async throws -> [LegacyRow] {
        let present = try await columns(of: table)
        guard !present.isEmpty else { return [] }
        let selected = wanted.filter(present.contains)
        let order = present.contains(orderBy) ? " ORDER BY \(Self.quote(orderBy))" : ""
        return try await query(
            "SELECT \(selected.map(Self.quote).joined(separator: ", ")) FROM \(Self.quote(table))\(order)", [],
            names: selected, table: table)
    }

    public func rows(of table: String, columns wanted: [String], key: String, after: Int64, limit: Int)
        async throws -> [LegacyRow]
    {
        let present = try await columns(of: table)
        guard !present.isEmpty else { return [] }
        let selected = wanted.filter(present.contains)
        return try await query(
            """
            SELECT \(selected.map(Self.quote).joined(separator: ", ")) FROM \(Self.quote(table))
            WHERE \(Self.quote(key)) > ? ORDER BY \(Self.quote(key)) LIMIT ?
            """, [.integer(Int(after)), .integer(limit)], names: selected, table: table)
    }

    public func scalar(_ sql: String) async throws -> String? {
        let values = Collected<String?>()
        try await connection.query(sql, []) { row in
            values.append(
                row.columns.first.flatMap { column -> String? in
                    column.data.isNull ? nil : column.data.string
                })
        }
        return values.values.last ?? nil
    }

    public func close() async throws {
        try await connection.close()
    }

    /// Runs `sql` (whose result columns are `names`, in order) on SQLite's thread and collects
    /// the rows there: one call per batch, each row its values by position.
    private func query(_ sql: String, _ binds: [SQLiteData], names: [String], table: String) async throws
        -> [LegacyRow]
    {
        let columns = LegacyColumns(names)
        let rows = Collected<LegacyRow>()
        try await connection.query(sql, binds) { row in
            var cells: [LegacyValue] = []
            cells.reserveCapacity(names.count)
            for name in names {
                switch row.column(name) {
                case .none, .null, .blob: cells.append(.null)
                case .integer(let value): cells.append(.integer(Int64(value)))
                case .float(let value): cells.append(.real(value))
                case .text(let value): cells.append(.text(value))
                }
            }
            rows.append(LegacyRow(table: table, columns: columns, cells: cells))
        }
        return rows.values
    }

    static func quote(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// What SQLite's row callback (on NIO's thread pool) hands over to the caller.
private final class Collected<Value: Sendable>: Sendable {
    private let storage = Mutex<[Value]>([])

    func append(_ value: Value) { storage.withLock { $0.append(value) } }

    var values: [Value] { storage.withLock { $0 } }
}

/// The legacy database could not be opened or read.
public struct LegacySourceError: Error, Sendable, CustomStringConvertible {
    public let description: String
}
