import Foundation
import SwiftCSV

/// The records of a device CSV file with the line each starts on (header = line 1), after the
/// file-level checks: size, header, row count.
struct DeviceCSVReader {
    /// One data row: its first line in the file and its cells by column.
    struct Row {
        let line: Int
        let cells: [DeviceCSVColumn: String]
        /// Set when the row has more cells than the header has columns.
        let extraCells: Int
    }

    /// The columns of the header, in file order.
    let columns: [DeviceCSVColumn]
    /// The data rows, blank lines left out.
    let rows: [Row]

    /// Largest file accepted, in bytes.
    static let maximumBytes = 10 * 1024 * 1024
    /// Most data rows accepted.
    static let maximumRows = 50_000

    /// Parses `text`.
    ///
    /// - Throws: ``DeviceImportError`` for a file that is too large, malformed, has too many rows,
    ///   or whose header lacks a required column or names an unknown or repeated one.
    init(_ text: String) throws(DeviceImportError) {
        guard text.utf8.count <= Self.maximumBytes else { throw .tooLarge(bytes: text.utf8.count) }
        // Every quote of a well-formed file is one of a pair; SwiftCSV reads an unclosed quoted
        // field to the end of the file without complaint.
        guard text.utf8.count(where: { $0 == UInt8(ascii: "\"") }).isMultiple(of: 2) else {
            throw .malformed("a quoted field is not closed")
        }
        var records: [(line: Int, fields: [String])] = []
        do {
            // rowLimit 0: the initialiser parses the header alone; the enumeration below reads
            // every record once, counting the lines each spans.
            let csv = try CSV<Enumerated>(string: text, delimiter: .comma, loadColumns: false, rowLimit: 0)
            var line = 1
            try csv.enumerateAsArray(startAt: 0, rowLimit: nil) { fields in
                records.append((line, fields))
                line += 1 + fields.reduce(0) { lines, field in lines + field.count(where: \.isNewline) }
            }
        } catch CSVParseError.quotation(let message), CSVParseError.generic(let message) {
            throw .malformed(message)
        } catch {
            throw .malformed("\(error)")
        }
        guard let header = records.first else { throw .header("the file is empty: a header line is required") }
        columns = try Self.columns(header.fields)
        var rows: [Row] = []
        for record in records.dropFirst() where !record.fields.allSatisfy(\.isEmpty) {
            guard rows.count < Self.maximumRows else { throw .tooManyRows(maximum: Self.maximumRows) }
            var cells: [DeviceCSVColumn: String] = [:]
            for (column, cell) in zip(columns, record.fields) { cells[column] = cell }
            rows.append(
                Row(line: record.line, cells: cells, extraCells: max(0, record.fields.count - columns.count)))
        }
        self.rows = rows
    }

    /// The header's columns; unknown, repeated and missing required ones refused.
    private static func columns(_ header: [String]) throws(DeviceImportError) -> [DeviceCSVColumn] {
        let names = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let unknown = names.filter { DeviceCSVColumn(rawValue: $0) == nil }
        guard unknown.isEmpty else {
            throw .header("unknown columns: \(unknown.map(\.debugDescription).joined(separator: ", "))")
        }
        let columns = names.compactMap(DeviceCSVColumn.init(rawValue:))
        let repeated = Set(columns.filter { column in columns.count(where: { $0 == column }) > 1 })
        guard repeated.isEmpty else {
            throw .header("repeated columns: \(repeated.map(\.rawValue).sorted().joined(separator: ", "))")
        }
        let missing = DeviceCSVColumn.required.filter { !columns.contains($0) }
        guard missing.isEmpty else {
            throw .header("required columns missing: \(missing.map(\.rawValue).joined(separator: ", "))")
        }
        return columns
    }
}
