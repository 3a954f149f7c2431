/// One field's value in an audit entry: JSON scalars and lists, or a secret that is recorded
/// only as having been set (never its value).
public enum AuditValue: Sendable, Equatable, Encodable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case text(String)
    case texts([String])
    /// A secret: encoded as `"********"`.
    case secret

    /// The mask written in place of a secret.
    public static let mask = "********"

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        case .texts(let values): try container.encode(values)
        case .secret: try container.encode(Self.mask)
        }
    }
}

extension AuditValue {
    /// `.text(value)`, or `.null` when `value` is nil.
    public static func optional(_ value: String?) -> AuditValue { value.map { .text($0) } ?? .null }
}
