import Foundation
import OutpostCore

/// The on-disk framing of segments and records (all integers little-endian).
///
/// Segment: `"OPSPOOL"` + format version byte (1) + base sequence (u64), then records.
/// Record: body length (u32) + CRC-32C (u32) over the length field and the body, then the body:
/// sequence (u64) + result count (u32) + created-at milliseconds since 1970 UTC (i64) + payload.
/// A record is valid only when its length is in bounds, its checksum matches and its sequence
/// is above the previous record's: a torn or garbled tail fails one of the three.
enum RecordFormat {
    static let segmentMagic: [UInt8] = Array("OPSPOOL".utf8) + [1]
    static let segmentHeaderSize = 16
    static let headerSize = 8
    static let bodyFixedSize = 20
    /// Framing bytes added to each payload.
    static let overhead = headerSize + bodyFixedSize

    /// The segment header for a segment whose first record will carry `base`.
    static func segmentHeader(base: BatchSequence) -> [UInt8] {
        var bytes = segmentMagic
        bytes.appendLittleEndian(base)
        return bytes
    }

    /// The base sequence in a segment header, or `nil` when the header is not one.
    static func parseSegmentHeader(_ bytes: [UInt8]) -> BatchSequence? {
        guard bytes.count == segmentHeaderSize, Array(bytes[0..<8]) == segmentMagic else { return nil }
        return bytes.readLittleEndian(UInt64.self, at: 8)
    }

    /// A complete framed record.
    static func encode(sequence: BatchSequence, resultCount: UInt32, createdAtMillis: Int64, payload: [UInt8])
        -> [UInt8]
    {
        var bytes = [UInt8]()
        bytes.reserveCapacity(overhead + payload.count)
        bytes.appendLittleEndian(UInt32(bodyFixedSize + payload.count))
        bytes.appendLittleEndian(UInt32(0))
        bytes.appendLittleEndian(sequence)
        bytes.appendLittleEndian(resultCount)
        bytes.appendLittleEndian(createdAtMillis)
        bytes.append(contentsOf: payload)
        let crc = bytes.withUnsafeBytes { raw in
            CRC32C.checksum(
                UnsafeRawBufferPointer(rebasing: raw[headerSize...]),
                continuing: CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<4])))
        }
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: crc.littleEndian, toByteOffset: 4, as: UInt32.self) }
        return bytes
    }

    /// The fields of a record header: body length and stored checksum.
    struct Header {
        let bodyLength: Int
        let checksum: UInt32
        let lengthField: UInt32
    }

    static func parseHeader(_ bytes: [UInt8]) -> Header {
        let length = bytes.readLittleEndian(UInt32.self, at: 0)
        return Header(
            bodyLength: Int(length), checksum: bytes.readLittleEndian(UInt32.self, at: 4), lengthField: length)
    }

    /// The fixed body fields without the payload.
    struct BodyFields {
        let sequence: BatchSequence
        let resultCount: UInt32
        let createdAtMillis: Int64
    }

    static func parseBodyFields(_ body: [UInt8]) -> BodyFields {
        BodyFields(
            sequence: body.readLittleEndian(UInt64.self, at: 0),
            resultCount: body.readLittleEndian(UInt32.self, at: 8),
            createdAtMillis: body.readLittleEndian(Int64.self, at: 12)
        )
    }

    /// True when `body` matches the checksum in `header`.
    static func verify(header: Header, body: [UInt8]) -> Bool {
        var lengthField = header.lengthField.littleEndian
        let lengthCRC = withUnsafeBytes(of: &lengthField) { CRC32C.checksum($0) }
        let crc = body.withUnsafeBytes { CRC32C.checksum($0, continuing: lengthCRC) }
        return crc == header.checksum
    }

    static func date(millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
}

extension [UInt8] {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    func readLittleEndian<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
        withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
    }
}
