import Foundation
import OutpostCore

/// Ping rounds as parallel columns: device ids, addresses, timestamps, sent and received
/// counts, then the four round-trip-time columns with presence bitmaps.
enum PingSection {
    /// Smallest possible row: a UUID and four one-byte varints.
    private static let minimumRowSize = 16 + 4

    static func encode(_ rows: [PingRoundResult], after origin: Int64, to writer: inout WireWriter) throws(WireError) {
        writer.writeVarUInt(UInt64(rows.count))
        for row in rows { writer.writeUUID(row.deviceID.uuid) }
        for row in rows {
            try writer.writeString(row.deviceIP, field: "batch.ping.deviceIP", maximumLength: WireLimits.shortText)
        }
        try TimestampColumn.encode(
            rows.lazy.map(\.timestamp), after: origin, field: "batch.ping.timestamp", to: &writer)
        for row in rows { writer.writeVarInt(Int64(row.packetsSent)) }
        for row in rows { writer.writeVarInt(Int64(row.packetsReceived)) }
        OptionalFloat64Column.encode(rows.map(\.minRTT), to: &writer)
        OptionalFloat64Column.encode(rows.map(\.avgRTT), to: &writer)
        OptionalFloat64Column.encode(rows.map(\.maxRTT), to: &writer)
        OptionalFloat64Column.encode(rows.map(\.stddevRTT), to: &writer)
    }

    static func decode(from reader: inout WireReader, after origin: Int64) throws(WireError) -> [PingRoundResult] {
        let count = try reader.readCount(field: "batch.ping", minimumElementSize: minimumRowSize)
        var deviceIDs: [DeviceID] = []
        deviceIDs.reserveCapacity(count)
        for _ in 0..<count { deviceIDs.append(DeviceID(try reader.readUUID(field: "batch.ping.deviceID"))) }
        var addresses: [String] = []
        addresses.reserveCapacity(count)
        for _ in 0..<count {
            addresses.append(try reader.readString(field: "batch.ping.deviceIP", maximumLength: WireLimits.shortText))
        }
        let timestamps = try TimestampColumn.decode(
            count: count, after: origin, field: "batch.ping.timestamp", from: &reader)
        var sent: [Int] = []
        sent.reserveCapacity(count)
        for _ in 0..<count { sent.append(try reader.readVarIntAsInt(field: "batch.ping.packetsSent")) }
        var received: [Int] = []
        received.reserveCapacity(count)
        for _ in 0..<count { received.append(try reader.readVarIntAsInt(field: "batch.ping.packetsReceived")) }
        let minRTT = try OptionalFloat64Column.decode(count: count, field: "batch.ping.minRTT", from: &reader)
        let avgRTT = try OptionalFloat64Column.decode(count: count, field: "batch.ping.avgRTT", from: &reader)
        let maxRTT = try OptionalFloat64Column.decode(count: count, field: "batch.ping.maxRTT", from: &reader)
        let stddevRTT = try OptionalFloat64Column.decode(count: count, field: "batch.ping.stddevRTT", from: &reader)

        return (0..<count).map { row in
            PingRoundResult(
                deviceID: deviceIDs[row], deviceIP: addresses[row], timestamp: timestamps[row],
                packetsSent: sent[row], packetsReceived: received[row],
                minRTT: minRTT[row], avgRTT: avgRTT[row], maxRTT: maxRTT[row], stddevRTT: stddevRTT[row])
        }
    }
}
