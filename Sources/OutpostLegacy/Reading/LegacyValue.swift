import Foundation

/// One value of a legacy row as its database stored it: SQLite's storage classes (the legacy's
/// UUID and JSON columns have NUMERIC affinity, so a value may come back as a number), or the
/// text PostgreSQL prints for any type.
public enum LegacyValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    /// The value as text: numbers printed as SQLite prints them, `nil` for NULL.
    public var text: String? {
        switch self {
        case .null: nil
        case .integer(let value): String(value)
        case .real(let value): value == value.rounded() && abs(value) < 1e15 ? "\(Int64(value)).0" : "\(value)"
        case .text(let value): value
        }
    }

    /// Whether the value is SQL NULL.
    public var isNull: Bool { self == .null }
}

/// The column names of one result, shared by all its rows (a row keeps only its values).
public final class LegacyColumns: Sendable {
    public let names: [String]
    private let positions: [String: Int]

    public init(_ names: [String]) {
        self.names = names
        positions = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Where `name` is in a row, `nil` when the result does not have it.
    public func position(_ name: String) -> Int? { positions[name] }
}

/// A legacy row: its table, its values by column (missing columns read as NULL, since older
/// files lack later columns: docs/legacy-import.md).
public struct LegacyRow: Sendable {
    public let table: String
    public let columns: LegacyColumns
    /// The values in the order of `columns`.
    public let cells: [LegacyValue]

    public init(table: String, columns: LegacyColumns, cells: [LegacyValue]) {
        self.table = table
        self.columns = columns
        self.cells = cells
    }

    public init(table: String, values: [String: LegacyValue]) {
        let names = values.keys.sorted()
        self.init(table: table, columns: LegacyColumns(names), cells: names.map { values[$0] ?? .null })
    }

    public subscript(_ column: String) -> LegacyValue { self[position: columns.position(column)] }

    /// The value at a position found once with ``LegacyColumns/position(_:)`` (NULL for `nil`).
    public subscript(position position: Int?) -> LegacyValue {
        guard let position, position < cells.count else { return .null }
        return cells[position]
    }
}

/// Why a legacy value cannot be carried over: the column and the reason.
public struct LegacyValueError: Error, Sendable, Equatable, CustomStringConvertible {
    public let column: String
    public let reason: String

    public init(column: String, reason: String) {
        self.column = column
        self.reason = reason
    }

    public var description: String { "\(column): \(reason)" }
}

extension LegacyRow {
    /// Text, `nil` for NULL.
    func text(_ column: String) -> String? { self[column].text }

    /// Text that must be present.
    func required(_ column: String) throws(LegacyValueError) -> String { try self[column].requiredText(column: column) }

    /// A UUID in any of the legacy's text forms (32 hex digits, dashed, any case); a number
    /// (NUMERIC affinity turned an all-digit id into one) is read back as its digits.
    func uuid(_ column: String) throws(LegacyValueError) -> UUID? {
        guard let raw = text(column) else { return nil }
        guard let id = LegacyIdentifier.uuid(raw) else {
            throw LegacyValueError(column: column, reason: "\(raw.prefix(40).debugDescription) is not a UUID")
        }
        return id
    }

    /// A 0/1 boolean (or PostgreSQL's t/f); `nil` for NULL.
    func bool(_ column: String) throws(LegacyValueError) -> Bool? { try self[column].asBool(column: column) }

    /// An integer; `nil` for NULL.
    func integer(_ column: String) throws(LegacyValueError) -> Int? { try self[column].asInteger(column: column) }

    /// A number; `nil` for NULL.
    func double(_ column: String) throws(LegacyValueError) -> Double? { try self[column].asDouble(column: column) }

    /// A naive timestamp read in `zone` (docs/legacy-import.md says which column is which).
    func timestamp(_ column: String, _ zone: LegacyTimeZone) throws(LegacyValueError) -> Date? {
        guard let raw = text(column) else { return nil }
        guard let date = LegacyTime.parse(raw, zone: zone) else {
            throw LegacyValueError(column: column, reason: "\(raw.prefix(40).debugDescription) is not a timestamp")
        }
        return date
    }

    /// A JSON column: SQL NULL and the text `null` are both `nil`.
    func json(_ column: String) throws(LegacyValueError) -> Any? {
        switch self[column] {
        case .null: return nil
        case .integer(let value): return value
        case .real(let value): return value
        case .text(let text):
            guard let value = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
            else {
                throw LegacyValueError(column: column, reason: "unparseable JSON \(text.prefix(40).debugDescription)")
            }
            return value is NSNull ? nil : value
        }
    }

    /// A JSON array of strings (`[]` for NULL or `null`).
    func stringArray(_ column: String) throws(LegacyValueError) -> [String] {
        guard let value = try json(column) else { return [] }
        guard let array = value as? [Any], let strings = array as? [String] else {
            throw LegacyValueError(column: column, reason: "is not a JSON array of strings")
        }
        return strings
    }
}

/// The decoders, on a value (`column` names it in the error): the ping history reads its
/// columns by position, the other tables by name through ``LegacyRow``.
extension LegacyValue {
    /// Text that must be present.
    func requiredText(column: String) throws(LegacyValueError) -> String {
        guard let value = text else { throw LegacyValueError(column: column, reason: "is NULL") }
        return value
    }

    /// A 0/1 boolean (or PostgreSQL's t/f); `nil` for NULL.
    func asBool(column: String) throws(LegacyValueError) -> Bool? {
        switch self {
        case .null: return nil
        case .integer(let value) where value == 0 || value == 1: return value == 1
        case .text(let value):
            switch value == "t" || value == "f" ? value : value.lowercased() {
            case "1", "t", "true": return true
            case "0", "f", "false": return false
            default: break
            }
        default: break
        }
        throw LegacyValueError(column: column, reason: "\(text ?? "") is not a boolean (0/1)")
    }

    /// An integer; `nil` for NULL.
    func asInteger(column: String) throws(LegacyValueError) -> Int? {
        switch self {
        case .null: return nil
        case .integer(let value): return Int(value)
        case .real(let value) where value == value.rounded() && abs(value) < 1e15: return Int(value)
        case .text(let value):
            if let number = Int(value) ?? Int(value.trimmingCharacters(in: .whitespaces)) { return number }
        default: break
        }
        throw LegacyValueError(column: column, reason: "\(text ?? "") is not an integer")
    }

    /// A number; `nil` for NULL.
    func asDouble(column: String) throws(LegacyValueError) -> Double? {
        switch self {
        case .null: return nil
        case .integer(let value): return Double(value)
        case .real(let value): return value
        case .text(let value):
            if let number = Double(value) ?? Double(value.trimmingCharacters(in: .whitespaces)), number.isFinite {
                return number
            }
        }
        throw LegacyValueError(column: column, reason: "\(text ?? "") is not a number")
    }
}

/// The legacy's identifiers in their canonical form.
public enum LegacyIdentifier {
    /// A UUID from 32 hex digits with or without dashes, any case. The legacy holds ids that are
    /// not RFC 4122 (a wrong variant nibble); they are kept bit for bit.
    public static func uuid(_ raw: String) -> UUID? {
        let hex = raw.lowercased().replacingOccurrences(of: "-", with: "")
        guard hex.count == 32, hex.allSatisfy(\.isHexDigit) else { return nil }
        let chars = Array(hex)
        let dashed = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(chars[$0]) }.joined(separator: "-")
        return UUID(uuidString: dashed)
    }

    /// The legacy id as the mapping table keeps it: a UUID lower-case dashed, else the text.
    public static func key(_ raw: String) -> String {
        uuid(raw).map { $0.uuidString.lowercased() } ?? raw
    }
}
