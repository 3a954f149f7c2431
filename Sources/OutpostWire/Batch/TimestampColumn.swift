import Foundation

/// A column of timestamps as ZigZag varint deltas: the first from the batch's creation time,
/// each next from the previous row. Rows of one batch lie close in time, so most deltas take
/// two or three bytes instead of eight.
enum TimestampColumn {
    static func encode(
        _ dates: some Sequence<Date>, after origin: Int64, field: StaticString, to writer: inout WireWriter
    ) throws(WireError) {
        var previous = origin
        for date in dates {
            let current = try WireTime.microseconds(of: date, field: field)
            writer.writeVarInt(current - previous)
            previous = current
        }
    }

    static func decode(count: Int, after origin: Int64, field: StaticString, from reader: inout WireReader)
        throws(WireError) -> [Date]
    {
        var dates: [Date] = []
        dates.reserveCapacity(count)
        var previous = origin
        for _ in 0..<count {
            let (current, overflow) = previous.addingReportingOverflow(try reader.readVarInt(field: field))
            guard !overflow else { throw .invalidField(field: "\(field)", reason: "timestamp delta overflows") }
            dates.append(try WireTime.date(microseconds: current, field: field))
            previous = current
        }
        return dates
    }
}

/// A column of optional `Double`s: a presence bitmap, then the present values in row order.
enum OptionalFloat64Column {
    static func encode(_ values: [Double?], to writer: inout WireWriter) {
        writer.writeBitmap(values.lazy.map { $0 != nil })
        for case let value? in values { writer.writeFloat64(value) }
    }

    static func decode(count: Int, field: StaticString, from reader: inout WireReader) throws(WireError) -> [Double?] {
        let present = try reader.readBitmap(count: count, field: field)
        var values: [Double?] = []
        values.reserveCapacity(count)
        for isPresent in present {
            values.append(isPresent ? try reader.readFloat64(field: field) : nil)
        }
        return values
    }
}
