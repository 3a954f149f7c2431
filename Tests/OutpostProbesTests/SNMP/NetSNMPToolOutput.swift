import Foundation
import OutpostCore
import OutpostProbes

/// Parses what `snmpwalk`/`snmpbulkwalk`/`snmpget -On -Ox` print into typed variable
/// bindings, so the engine's results can be compared with the reference tools.
enum NetSNMPToolOutput {
    static func parse(_ text: String) -> [VarBind] {
        var entries: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(".") && line.contains(" = ") {
                entries.append(String(line))
            } else if !entries.isEmpty, !line.isEmpty {
                entries[entries.count - 1] += " " + line
            }
        }
        return entries.compactMap(parseEntry)
    }

    private static func parseEntry(_ entry: String) -> VarBind? {
        guard let separator = entry.range(of: " = ") else { return nil }
        let oid = String(entry[entry.index(after: entry.startIndex)..<separator.lowerBound])
        let rest = String(entry[separator.upperBound...]).trimmingCharacters(in: .whitespaces)
        if rest == "\"\"" { return VarBind(oid: oid, value: .octetString([])) }
        if rest.hasPrefix("No Such Object") { return VarBind(oid: oid, value: .noSuchObject) }
        if rest.hasPrefix("No Such Instance") { return VarBind(oid: oid, value: .noSuchInstance) }
        if rest.hasPrefix("No more variables") { return nil }
        if rest == "NULL" { return VarBind(oid: oid, value: .null) }
        guard let colon = rest.range(of: ": ") else { return nil }
        let type = String(rest[..<colon.lowerBound])
        let body = String(rest[colon.upperBound...]).trimmingCharacters(in: .whitespaces)
        let value: SNMPValue
        switch type {
        case "INTEGER": value = .integer(Int64(body) ?? Int64.min)
        case "Counter32": value = .counter32(UInt32(body) ?? 0)
        case "Counter64": value = .counter64(UInt64(body) ?? 0)
        case "Gauge32", "Unsigned32": value = .gauge32(UInt32(body) ?? 0)
        case "Timeticks":
            let number = body.dropFirst().prefix { $0 != ")" }
            value = .timeTicks(UInt32(number) ?? 0)
        case "Hex-STRING": value = .octetString(hexBytes(body))
        case "STRING": value = .octetString(Array(body.trimmingCharacters(in: CharacterSet(charactersIn: "\"")).utf8))
        case "OID": value = .objectIdentifier(body.hasPrefix(".") ? String(body.dropFirst()) : body)
        case "IpAddress": value = .ipAddress(body)
        case "Opaque": value = .opaque(hexBytes(body))
        default: return nil
        }
        return VarBind(oid: oid, value: value)
    }

    static func hexBytes(_ text: String) -> [UInt8] {
        text.split(whereSeparator: { $0 == " " }).compactMap { UInt8($0, radix: 16) }
    }
}
