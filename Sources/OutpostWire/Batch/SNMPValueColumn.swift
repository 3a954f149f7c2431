import OutpostCore

/// SNMP values as two columns: one type tag byte per row (0 when the poll produced no value),
/// then the values of the rows whose type carries one, in row order.
enum SNMPValueColumn {
    /// The tag byte of each `SNMPValue` case, fixed by `docs/protocol.md`.
    private enum Tag: UInt8 {
        case absent = 0
        case integer = 1
        case counter32 = 2
        case counter64 = 3
        case gauge32 = 4
        case timeTicks = 5
        case octetString = 6
        case objectIdentifier = 7
        case ipAddress = 8
        case opaque = 9
        case null = 10
        case noSuchObject = 11
        case noSuchInstance = 12
        case endOfMibView = 13
    }

    static func encode(_ values: [SNMPValue?], to writer: inout WireWriter) throws(WireError) {
        for value in values { writer.writeByte(tag(of: value).rawValue) }
        for value in values {
            switch value {
            case .integer(let v)?: writer.writeVarInt(v)
            case .counter32(let v)?, .gauge32(let v)?, .timeTicks(let v)?: writer.writeVarUInt(UInt64(v))
            case .counter64(let v)?: writer.writeVarUInt(v)
            case .octetString(let bytes)?, .opaque(let bytes)?: writer.writeBytes(bytes)
            case .objectIdentifier(let oid)?:
                try writer.writeString(
                    oid, field: "batch.item.value.oid", maximumLength: WireLimits.objectIdentifierText)
            case .ipAddress(let address)?:
                try writer.writeString(
                    address, field: "batch.item.value.ipAddress", maximumLength: WireLimits.shortText)
            case nil, .null?, .noSuchObject?, .noSuchInstance?, .endOfMibView?: break
            }
        }
    }

    static func decode(count: Int, from reader: inout WireReader) throws(WireError) -> [SNMPValue?] {
        var tags: [Tag] = []
        tags.reserveCapacity(count)
        for _ in 0..<count {
            let raw = try reader.readByte(field: "batch.item.valueType")
            guard let tag = Tag(rawValue: raw) else {
                throw .invalidField(field: "batch.item.valueType", reason: "unknown SNMP value type \(raw)")
            }
            tags.append(tag)
        }
        var values: [SNMPValue?] = []
        values.reserveCapacity(count)
        for tag in tags { values.append(try decodeValue(tag, from: &reader)) }
        return values
    }

    private static func decodeValue(_ tag: Tag, from reader: inout WireReader) throws(WireError) -> SNMPValue? {
        switch tag {
        case .absent: nil
        case .integer: .integer(try reader.readVarInt(field: "batch.item.value.integer"))
        case .counter32: .counter32(try reader.readVarUInt(UInt32.self, field: "batch.item.value.counter32"))
        case .counter64: .counter64(try reader.readVarUInt(field: "batch.item.value.counter64"))
        case .gauge32: .gauge32(try reader.readVarUInt(UInt32.self, field: "batch.item.value.gauge32"))
        case .timeTicks: .timeTicks(try reader.readVarUInt(UInt32.self, field: "batch.item.value.timeTicks"))
        case .octetString: .octetString(try reader.readBytes(field: "batch.item.value.octetString"))
        case .objectIdentifier:
            .objectIdentifier(
                try reader.readString(field: "batch.item.value.oid", maximumLength: WireLimits.objectIdentifierText))
        case .ipAddress:
            .ipAddress(try reader.readString(field: "batch.item.value.ipAddress", maximumLength: WireLimits.shortText))
        case .opaque: .opaque(try reader.readBytes(field: "batch.item.value.opaque"))
        case .null: .null
        case .noSuchObject: .noSuchObject
        case .noSuchInstance: .noSuchInstance
        case .endOfMibView: .endOfMibView
        }
    }

    private static func tag(of value: SNMPValue?) -> Tag {
        switch value {
        case nil: .absent
        case .integer?: .integer
        case .counter32?: .counter32
        case .counter64?: .counter64
        case .gauge32?: .gauge32
        case .timeTicks?: .timeTicks
        case .octetString?: .octetString
        case .objectIdentifier?: .objectIdentifier
        case .ipAddress?: .ipAddress
        case .opaque?: .opaque
        case .null?: .null
        case .noSuchObject?: .noSuchObject
        case .noSuchInstance?: .noSuchInstance
        case .endOfMibView?: .endOfMibView
        }
    }
}
