import CNetSNMP
import OutpostCore

/// A variable binding as decoded on the I/O thread (OID kept parsed for walks).
struct DecodedVarBind: Sendable, Hashable {
    var oid: NumericOID
    var value: SNMPValue

    var varBind: VarBind { VarBind(oid: oid.description, value: value) }
}

/// Turns net-snmp response PDUs into typed values. Only reads the PDU it is given.
enum SNMPPDUDecoder {
    // BER tags (RFC 2578 / RFC 3416); net-snmp defines them as cast macros Swift cannot import.
    private static let integer: UInt8 = 0x02, octetString: UInt8 = 0x04, null: UInt8 = 0x05
    private static let objectIdentifier: UInt8 = 0x06, ipAddress: UInt8 = 0x40, counter32: UInt8 = 0x41
    private static let gauge32: UInt8 = 0x42, timeTicks: UInt8 = 0x43, opaque: UInt8 = 0x44
    private static let counter64: UInt8 = 0x46, unsigned32: UInt8 = 0x47
    private static let noSuchObject: UInt8 = 0x80, noSuchInstance: UInt8 = 0x81, endOfMibView: UInt8 = 0x82

    /// Decodes a variable list, at most `limit` entries.
    static func varBinds(_ first: UnsafeMutablePointer<netsnmp_variable_list>?, limit: Int = 10_000) -> [DecodedVarBind]
    {
        var result: [DecodedVarBind] = []
        var cursor = first
        while let variable = cursor, result.count < limit {
            let name = UnsafeBufferPointer(start: variable.pointee.name, count: variable.pointee.name_length)
            result.append(DecodedVarBind(oid: NumericOID(components: Array(name)), value: value(of: variable)))
            cursor = variable.pointee.next_variable
        }
        return result
    }

    static func value(of variable: UnsafeMutablePointer<netsnmp_variable_list>) -> SNMPValue {
        let length = variable.pointee.val_len
        func bytes() -> [UInt8] {
            guard length > 0, let start = outpost_var_bytes(variable) else { return [] }
            return Array(UnsafeBufferPointer(start: start, count: length))
        }
        switch variable.pointee.type {
        case integer: return .integer(Int64(Int32(truncatingIfNeeded: outpost_var_integer(variable))))
        case octetString: return .octetString(bytes())
        case null: return .null
        case objectIdentifier:
            let count = length / MemoryLayout<oid>.stride
            guard count > 0, let start = outpost_var_objid(variable) else { return .objectIdentifier("") }
            return .objectIdentifier(
                NumericOID(components: Array(UnsafeBufferPointer(start: start, count: count))).description)
        case ipAddress: return .ipAddress(bytes().map(String.init).joined(separator: "."))
        case counter32: return .counter32(UInt32(truncatingIfNeeded: outpost_var_integer(variable)))
        case gauge32, unsigned32: return .gauge32(UInt32(truncatingIfNeeded: outpost_var_integer(variable)))
        case timeTicks: return .timeTicks(UInt32(truncatingIfNeeded: outpost_var_integer(variable)))
        case counter64: return .counter64(UInt64(outpost_var_counter64(variable)))
        case noSuchObject: return .noSuchObject
        case noSuchInstance: return .noSuchInstance
        case endOfMibView: return .endOfMibView
        default:
            var special = [UInt8](repeating: 0, count: 16)
            let count = outpost_var_special_opaque(variable, &special, special.count)
            return .opaque(count > 0 ? Array(special.prefix(count)) : bytes())
        }
    }

    /// What an SNMPv3 Report PDU (RFC 3414 §3.2 usmStats*) tells about a failed request.
    static func reportError(_ pdu: UnsafeMutablePointer<netsnmp_pdu>) -> SNMPError {
        let usmStats = NumericOID(components: [1, 3, 6, 1, 6, 3, 15, 1, 1])
        let names: [UInt: String] = [
            1: "unsupportedSecLevel", 2: "notInTimeWindow", 3: "unknownUserName",
            4: "unknownEngineID", 5: "wrongDigest", 6: "decryptionError",
        ]
        guard let first = varBinds(pdu.pointee.variables, limit: 1).first else {
            return .sessionFailed("empty report")
        }
        if first.oid.hasPrefix(usmStats), first.oid.components.count > 9,
            let name = names[first.oid.components[9]]
        {
            return .authenticationFailure(name)
        }
        return .sessionFailed("report \(first.oid)")
    }
}
