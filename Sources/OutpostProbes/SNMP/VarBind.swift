import OutpostCore

/// One variable binding of a response: a numeric OID and its typed value.
public struct VarBind: Sendable, Hashable, CustomStringConvertible {
    /// Dotted numeric OID without a leading dot, e.g. `1.3.6.1.2.1.1.3.0`.
    public var oid: String
    /// The value with its SNMP type.
    public var value: SNMPValue

    /// Creates a variable binding.
    public init(oid: String, value: SNMPValue) {
        self.oid = oid
        self.value = value
    }

    public var description: String { "\(oid) = \(value.typeName): \(value.textValue)" }
}

/// A parsed numeric OID.
struct NumericOID: Sendable, Hashable, Comparable, CustomStringConvertible {
    var components: [UInt]

    /// Parses `1.3.6.1…` (a leading dot is accepted); 2...128 components, each < 2^32.
    init(parsing text: String) throws(SNMPError) {
        var body = Substring(text)
        if body.hasPrefix(".") { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard text.utf8.count <= 1_400, (2...128).contains(parts.count) else {
            throw .invalidOID(String(text.prefix(64)))
        }
        var components: [UInt] = []
        components.reserveCapacity(parts.count)
        for part in parts {
            guard let value = UInt32(part) else { throw .invalidOID(String(text.prefix(64))) }
            components.append(UInt(value))
        }
        self.components = components
    }

    init(components: [UInt]) { self.components = components }

    var description: String { components.map(String.init).joined(separator: ".") }

    func hasPrefix(_ prefix: NumericOID) -> Bool {
        components.count >= prefix.components.count && components.starts(with: prefix.components)
    }

    static func < (lhs: NumericOID, rhs: NumericOID) -> Bool {
        lhs.components.lexicographicallyPrecedes(rhs.components)
    }
}
