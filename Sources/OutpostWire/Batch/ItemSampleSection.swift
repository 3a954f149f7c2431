import Foundation
import OutpostCore

/// SNMP samples as parallel columns: item ids, device ids, timestamps, typed values, then
/// rates and error texts with presence bitmaps.
enum ItemSampleSection {
    /// Smallest possible row: two UUIDs, a one-byte timestamp delta and a value tag.
    private static let minimumRowSize = 16 + 16 + 1 + 1

    static func encode(_ rows: [ItemSample], after origin: Int64, to writer: inout WireWriter) throws(WireError) {
        writer.writeVarUInt(UInt64(rows.count))
        for row in rows { writer.writeUUID(row.itemID.uuid) }
        for row in rows { writer.writeUUID(row.deviceID.uuid) }
        try TimestampColumn.encode(
            rows.lazy.map(\.timestamp), after: origin, field: "batch.item.timestamp", to: &writer)
        try SNMPValueColumn.encode(rows.map(\.value), to: &writer)
        OptionalFloat64Column.encode(rows.map(\.rate), to: &writer)
        writer.writeBitmap(rows.lazy.map { $0.error != nil })
        for case let error? in rows.lazy.map(\.error) {
            try writer.writeString(error, field: "batch.item.error", maximumLength: WireLimits.longText)
        }
    }

    static func decode(from reader: inout WireReader, after origin: Int64) throws(WireError) -> [ItemSample] {
        let count = try reader.readCount(field: "batch.item", minimumElementSize: minimumRowSize)
        var itemIDs: [ItemID] = []
        itemIDs.reserveCapacity(count)
        for _ in 0..<count { itemIDs.append(ItemID(try reader.readUUID(field: "batch.item.itemID"))) }
        var deviceIDs: [DeviceID] = []
        deviceIDs.reserveCapacity(count)
        for _ in 0..<count { deviceIDs.append(DeviceID(try reader.readUUID(field: "batch.item.deviceID"))) }
        let timestamps = try TimestampColumn.decode(
            count: count, after: origin, field: "batch.item.timestamp", from: &reader)
        let values = try SNMPValueColumn.decode(count: count, from: &reader)
        let rates = try OptionalFloat64Column.decode(count: count, field: "batch.item.rate", from: &reader)
        let hasError = try reader.readBitmap(count: count, field: "batch.item.error")
        var errors: [String?] = []
        errors.reserveCapacity(count)
        for present in hasError {
            errors.append(
                present ? try reader.readString(field: "batch.item.error", maximumLength: WireLimits.longText) : nil)
        }

        return (0..<count).map { row in
            ItemSample(
                itemID: itemIDs[row], deviceID: deviceIDs[row], timestamp: timestamps[row],
                value: values[row], rate: rates[row], error: errors[row])
        }
    }
}
