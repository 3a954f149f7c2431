import Crypto
import Foundation

/// One field carried over, in the canonical form the verification report hashes on both
/// sides: the value the importer wrote (from the legacy row) and the value read back from
/// Outpost's table must print the same.
public enum CanonicalValue: Sendable, Equatable {
    case null
    case text(String)
    case uuid(UUID)
    case bool(Bool)
    case integer(Int)
    case timestamp(Date)
    /// JSON, compared by content (key order and spacing do not matter).
    case json(String)
    /// A number kept to `places` decimals (NUMERIC columns).
    case decimal(Double, places: Int)

    /// The printed form.
    public var printed: String {
        switch self {
        case .null: "∅"
        case .text(let value): value
        case .uuid(let value): value.uuidString.lowercased()
        case .bool(let value): value ? "true" : "false"
        case .integer(let value): String(value)
        case .timestamp(let value): LegacyTime.canonical(value)
        case .json(let value): Self.canonicalJSON(value)
        case .decimal(let value, let places): String(format: "%.\(places)f", value)
        }
    }

    /// How Outpost's column is read back as text in the same form (`expression` is the column).
    public enum Kind: Sendable {
        case text, uuid, bool, integer, timestamp, json
        case decimal(places: Int)

        /// The SQL that prints `column` as ``CanonicalValue/printed`` does (JSON is normalised
        /// after reading, by ``CanonicalValue/canonicalJSON(_:)``).
        func select(_ column: String) -> String {
            switch self {
            case .text: "\(column)::text"
            case .uuid: "\(column)::text"
            case .bool: "CASE WHEN \(column) THEN 'true' ELSE 'false' END"
            case .integer: "\(column)::bigint::text"
            case .timestamp: "to_char(\(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
            case .json: "\(column)::text"
            case .decimal(let places): "round(\(column)::numeric, \(places))::text"
            }
        }

        func printed(fromTarget text: String?) -> String {
            guard let text else { return "∅" }
            if case .json = self { return CanonicalValue.canonicalJSON(text) }
            return text
        }
    }

    /// JSON re-serialised with sorted keys; text that is not JSON is returned as it is.
    static func canonicalJSON(_ text: String) -> String {
        guard
            let value = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]),
            let data = try? JSONSerialization.data(
                withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
        else { return text }
        return String(decoding: data, as: UTF8.self)
    }

    /// JSON text of a Swift value (arrays of strings, objects), canonical.
    static func jsonText(_ value: Any) -> String {
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
        else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// The canonical fields of one row, named; its digest is what the table checksums combine.
public struct CanonicalRow: Sendable, Equatable {
    public var fields: [(name: String, value: String)]

    public init(_ fields: [(String, String)]) {
        self.fields = fields.map { (name: $0.0, value: $0.1) }
    }

    public static func == (lhs: CanonicalRow, rhs: CanonicalRow) -> Bool {
        lhs.fields.map(\.name) == rhs.fields.map(\.name) && lhs.fields.map(\.value) == rhs.fields.map(\.value)
    }

    /// `name=value` lines joined by U+001F, hashed with SHA-256.
    public var digest: SHA256Digest {
        SHA256.hash(data: Data(fields.map { "\($0.name)=\($0.value)" }.joined(separator: "\u{1F}").utf8))
    }

    /// The first field that differs from `other`, for the report.
    func difference(from other: CanonicalRow) -> String? {
        for (mine, theirs) in zip(fields, other.fields) where mine.value != theirs.value {
            return
                "\(mine.name): \(mine.value.prefix(60).debugDescription) ≠ \(theirs.value.prefix(60).debugDescription)"
        }
        return nil
    }
}

/// A table checksum: SHA-256 over the sorted row digests (so row order does not matter).
public struct TableChecksum: Sendable, Equatable {
    private var digests: [String] = []

    public init() {}

    public mutating func add(_ row: CanonicalRow) {
        digests.append(row.digest.map { String(format: "%02x", $0) }.joined())
    }

    /// The first 16 hex digits of the checksum.
    public var value: String {
        let joined = digests.sorted().joined(separator: "\n")
        return SHA256.hash(data: Data(joined.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
    }
}
