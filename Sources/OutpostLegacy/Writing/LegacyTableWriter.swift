import Logging
import OutpostStore
import PostgresNIO

/// Writes one table's mapped rows with their `legacy_import_map` entries, in transactions of
/// ``batchSize`` rows (a killed import keeps whole batches, and the next run redoes the rest),
/// then reads every imported row back and compares its canonical form with what was written.
struct LegacyTableWriter {
    static let batchSize = 500

    let logger: Logger
    let connection: PostgresConnection

    /// Writes `rows`; counts the changed and unchanged ones in `table`.
    func write(_ rows: [MappedRow], spec: TableSpec, into table: inout LegacyImportReport.Table) async throws {
        var start = 0
        while start < rows.count {
            let batch = Array(rows[start..<min(start + Self.batchSize, rows.count)])
            let changed = try await connection.withTransaction(logger: logger) { connection in
                var changed = 0
                for row in batch {
                    let result = try await connection.query(row.upsert, logger: logger)
                    var wrote = false
                    for try await _ in result { wrote = true }
                    if wrote { changed += 1 }
                    try await connection.query(
                        """
                        INSERT INTO legacy_import_map (legacy_table, legacy_id, outpost_id)
                        VALUES (\(spec.legacy), \(row.legacyID), \(row.outpostID))
                        ON CONFLICT (legacy_table, legacy_id) DO UPDATE SET outpost_id = EXCLUDED.outpost_id,
                            imported_at = now()
                        WHERE legacy_import_map.outpost_id <> EXCLUDED.outpost_id
                        """, logger: logger)
                }
                return changed
            }
            table.imported += batch.count
            table.unchanged += batch.count - changed
            start += batch.count
        }
    }

    /// Reads back the rows of `spec` imported from the legacy ids of `rows`, compares each with
    /// what was written, and fills the target checksum.
    func verify(_ rows: [MappedRow], spec: TableSpec, into table: inout LegacyImportReport.Table) async throws {
        let expressions = spec.columns.map { $0.kind.select("t.\($0.name)") }.joined(separator: ", ")
        let sql = """
            SELECT m.legacy_id, \(expressions)
            FROM legacy_import_map m JOIN \(spec.outpost) t ON t.\(spec.key)::text = m.outpost_id
            WHERE m.legacy_table = $1
            """
        var bindings = PostgresBindings()
        bindings.append(spec.legacy)
        let result = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
        var read: [String: CanonicalRow] = [:]
        for try await row in result {
            var cells = row.makeIterator()
            guard let idCell = cells.next() else { continue }
            let legacyID = try idCell.decode(String.self)
            var fields: [(String, String)] = []
            for column in spec.columns {
                let text = try cells.next()?.decode(String?.self) ?? nil
                fields.append((column.name, column.kind.printed(fromTarget: text)))
            }
            read[legacyID] = CanonicalRow(fields)
        }
        for row in rows {
            guard let target = read[row.legacyID] else {
                table.mismatches.append("\(row.legacyID): not found in \(spec.outpost)")
                continue
            }
            table.targetChecksum.add(target)
            if let difference = row.canonical.difference(from: target) {
                table.mismatches.append("\(row.legacyID): \(difference)")
            }
        }
    }
}
