/// The IF-MIB columns whose samples describe an interface (docs/interfaces.md): inventory
/// columns of ifTable/ifXTable, and the counters its metrics are derived from.
public enum InterfaceColumn: String, CaseIterable, Sendable {
    case descr = "1.3.6.1.2.1.2.2.1.2"
    case type = "1.3.6.1.2.1.2.2.1.3"
    case mtu = "1.3.6.1.2.1.2.2.1.4"
    case speed = "1.3.6.1.2.1.2.2.1.5"
    case physAddress = "1.3.6.1.2.1.2.2.1.6"
    case adminStatus = "1.3.6.1.2.1.2.2.1.7"
    case operStatus = "1.3.6.1.2.1.2.2.1.8"
    case lastChange = "1.3.6.1.2.1.2.2.1.9"
    case inOctets = "1.3.6.1.2.1.2.2.1.10"
    case inDiscards = "1.3.6.1.2.1.2.2.1.13"
    case inErrors = "1.3.6.1.2.1.2.2.1.14"
    case outOctets = "1.3.6.1.2.1.2.2.1.16"
    case outDiscards = "1.3.6.1.2.1.2.2.1.19"
    case outErrors = "1.3.6.1.2.1.2.2.1.20"
    case name = "1.3.6.1.2.1.31.1.1.1.1"
    case hcInOctets = "1.3.6.1.2.1.31.1.1.1.6"
    case hcOutOctets = "1.3.6.1.2.1.31.1.1.1.10"
    case highSpeed = "1.3.6.1.2.1.31.1.1.1.15"
    case alias = "1.3.6.1.2.1.31.1.1.1.18"

    /// The column of a monitoring item's OID (a leading dot is ignored), if it is one of these.
    public init?(oid: String) {
        self.init(rawValue: oid.hasPrefix(".") ? String(oid.dropFirst()) : oid)
    }

    /// Whether the column is in ifTable (ifEntry), which lists every interface of a device: a
    /// walk of it that misses an interface means the interface is gone.
    public var isInIfTable: Bool { rawValue.hasPrefix("1.3.6.1.2.1.2.2.1.") }

    /// IF-MIB ifAdminStatus values, as `device_interfaces.admin_status` stores them.
    public static func adminStatus(_ value: Double) -> String? {
        switch value {
        case 1: "up"
        case 2: "down"
        case 3: "testing"
        default: nil
        }
    }

    /// IF-MIB ifOperStatus values, as `device_interfaces.oper_status` stores them.
    public static func operStatus(_ value: Double) -> String? {
        switch value {
        case 1: "up"
        case 2: "down"
        case 3: "testing"
        case 4: "unknown"
        case 5: "dormant"
        case 6: "notPresent"
        case 7: "lowerLayerDown"
        default: nil
        }
    }
}
