/// An SNMP variable binding's value with its SNMP type kept (never flattened to a number).
public enum SNMPValue: Sendable, Hashable {
    case integer(Int64)
    case counter32(UInt32)
    case counter64(UInt64)
    case gauge32(UInt32)
    case timeTicks(UInt32)
    case octetString([UInt8])
    case objectIdentifier(String)
    case ipAddress(String)
    case opaque([UInt8])
    case null
    /// The agent has no such object (SNMPv2 exception).
    case noSuchObject
    /// The object exists but not this instance (SNMPv2 exception).
    case noSuchInstance
    /// The walk ran past the end of the agent's MIB view (SNMPv2 exception).
    case endOfMibView

    /// The `item_history.value_type` name of this value.
    public var typeName: String {
        switch self {
        case .integer: "integer"
        case .counter32: "counter32"
        case .counter64: "counter64"
        case .gauge32: "gauge32"
        case .timeTicks: "timeticks"
        case .octetString: "octetstring"
        case .objectIdentifier: "oid"
        case .ipAddress: "ipaddress"
        case .opaque: "opaque"
        case .null: "null"
        case .noSuchObject: "nosuchobject"
        case .noSuchInstance: "nosuchinstance"
        case .endOfMibView: "endofmibview"
        }
    }

    /// The numeric value where the type has one.
    public var numericValue: Double? {
        switch self {
        case .integer(let v): Double(v)
        case .counter32(let v): Double(v)
        case .counter64(let v): Double(v)
        case .gauge32(let v): Double(v)
        case .timeTicks(let v): Double(v)
        default: nil
        }
    }

    /// A human-readable text form: UTF-8 for printable octet strings, hex otherwise.
    public var textValue: String {
        switch self {
        case .integer(let v): String(v)
        case .counter32(let v): String(v)
        case .counter64(let v): String(v)
        case .gauge32(let v): String(v)
        case .timeTicks(let v): String(v)
        case .octetString(let bytes), .opaque(let bytes):
            if let text = String(validating: bytes, as: UTF8.self),
                text.unicodeScalars.allSatisfy({ $0.value >= 0x20 || $0 == "\n" || $0 == "\r" || $0 == "\t" })
            {
                text
            } else {
                bytes.map { byte in
                    let hex = String(byte, radix: 16, uppercase: true)
                    return hex.count == 1 ? "0" + hex : hex
                }.joined(separator: ":")
            }
        case .objectIdentifier(let oid): oid
        case .ipAddress(let address): address
        case .null: ""
        case .noSuchObject: "noSuchObject"
        case .noSuchInstance: "noSuchInstance"
        case .endOfMibView: "endOfMibView"
        }
    }
}
