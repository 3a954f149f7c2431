/// A device vendor, named after the IANA Private Enterprise Number (PEN) of its sysObjectID
/// (`1.3.6.1.4.1.<PEN>…`).
public struct DeviceVendor: Sendable, Hashable, CustomStringConvertible {
    /// The enterprise number.
    public var enterpriseNumber: UInt32
    /// The vendor's name, `nil` when the number is not in ``knownVendors``.
    public var name: String?

    /// Enterprise numbers the classifier names (IANA registry).
    public static let knownVendors: [UInt32: String] = [
        9: "Cisco", 11: "HP", 311: "Microsoft", 318: "APC", 674: "Dell", 2011: "Huawei",
        2636: "Juniper", 6574: "Synology", 8072: "net-snmp", 12356: "Fortinet", 14823: "Aruba",
        14988: "MikroTik", 25461: "Palo Alto Networks", 41112: "Ubiquiti",
    ]

    /// The vendor of a sysObjectID, or `nil` when it is not under `1.3.6.1.4.1`.
    public init?(sysObjectID: String) {
        var body = Substring(sysObjectID)
        if body.hasPrefix(".") { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 7, parts[0..<6] == ["1", "3", "6", "1", "4", "1"], let number = UInt32(parts[6]) else {
            return nil
        }
        enterpriseNumber = number
        name = Self.knownVendors[number]
    }

    public var description: String { name ?? "enterprise \(enterpriseNumber)" }
}
