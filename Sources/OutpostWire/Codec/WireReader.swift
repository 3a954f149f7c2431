import Foundation

/// Reads the protocol's primitive encodings from a byte array, refusing anything malformed
/// with a ``WireError`` that names the field. Every length and count is checked against the
/// bytes actually left before anything is allocated from it, so no declared size can make the
/// decoder allocate more than the input it was given.
struct WireReader {
    private let bytes: [UInt8]
    private var position: Int

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.position = 0
    }

    /// Bytes not read yet.
    var remaining: Int { bytes.count - position }

    /// Refuses unread bytes at the end of a message.
    func finish() throws(WireError) {
        guard remaining == 0 else { throw .trailingBytes(count: remaining) }
    }

    mutating func readByte(field: StaticString) throws(WireError) -> UInt8 {
        guard position < bytes.count else { throw .truncated(field: "\(field)") }
        defer { position += 1 }
        return bytes[position]
    }

    /// Unsigned LEB128, at most 10 bytes, minimal form only (no redundant trailing zero groups).
    mutating func readVarUInt(field: StaticString) throws(WireError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte(field: field)
            let group = UInt64(byte & 0x7F)
            if shift == 63 && byte > 1 {
                throw .invalidField(field: "\(field)", reason: "varint overflows 64 bits")
            }
            if shift > 0 && byte == 0 {
                throw .invalidField(field: "\(field)", reason: "varint is not in minimal form")
            }
            result |= group << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// ZigZag-mapped signed varint.
    mutating func readVarInt(field: StaticString) throws(WireError) -> Int64 {
        let raw = try readVarUInt(field: field)
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// A varint that must fit `T`.
    mutating func readVarUInt<T: FixedWidthInteger & UnsignedInteger>(_: T.Type, field: StaticString) throws(WireError)
        -> T
    {
        let raw = try readVarUInt(field: field)
        guard let value = T(exactly: raw) else {
            throw .invalidField(field: "\(field)", reason: "\(raw) does not fit \(T.bitWidth) bits")
        }
        return value
    }

    /// A signed varint as a platform `Int`.
    mutating func readVarIntAsInt(field: StaticString) throws(WireError) -> Int {
        let raw = try readVarInt(field: field)
        guard let value = Int(exactly: raw) else {
            throw .invalidField(field: "\(field)", reason: "\(raw) does not fit Int")
        }
        return value
    }

    mutating func readFixed<T: FixedWidthInteger & UnsignedInteger>(_: T.Type, field: StaticString) throws(WireError)
        -> T
    {
        let size = MemoryLayout<T>.size
        guard remaining >= size else { throw .truncated(field: "\(field)") }
        var value: T = 0
        for index in position..<(position + size) {
            value = (value << 8) | T(bytes[index])
        }
        position += size
        return value
    }

    mutating func readFloat64(field: StaticString) throws(WireError) -> Double {
        Double(bitPattern: try readFixed(UInt64.self, field: field))
    }

    mutating func readUUID(field: StaticString) throws(WireError) -> UUID {
        guard remaining >= 16 else { throw .truncated(field: "\(field)") }
        let p = position
        position += 16
        return UUID(
            uuid: (
                bytes[p], bytes[p + 1], bytes[p + 2], bytes[p + 3], bytes[p + 4], bytes[p + 5], bytes[p + 6],
                bytes[p + 7],
                bytes[p + 8], bytes[p + 9], bytes[p + 10], bytes[p + 11], bytes[p + 12], bytes[p + 13], bytes[p + 14],
                bytes[p + 15]
            ))
    }

    /// 0 (absent) or 1 (present); anything else is refused.
    mutating func readPresence(field: StaticString) throws(WireError) -> Bool {
        switch try readByte(field: field) {
        case 0: return false
        case 1: return true
        case let other: throw .invalidField(field: "\(field)", reason: "presence flag \(other) is neither 0 nor 1")
        }
    }

    /// Exactly `count` raw bytes (a fixed-size field).
    mutating func readRaw(count: Int, field: StaticString) throws(WireError) -> [UInt8] {
        guard remaining >= count else { throw .truncated(field: "\(field)") }
        defer { position += count }
        return Array(bytes[position..<(position + count)])
    }

    /// A varint length, checked against `maximumLength` and the bytes left, then that many bytes.
    mutating func readBytes(field: StaticString, maximumLength: Int = .max) throws(WireError) -> [UInt8] {
        let length = try readLength(field: field, maximumLength: maximumLength)
        return try readRaw(count: length, field: field)
    }

    /// Like ``readBytes(field:maximumLength:)`` and the bytes must be valid UTF-8.
    mutating func readString(field: StaticString, maximumLength: Int) throws(WireError) -> String {
        let length = try readLength(field: field, maximumLength: maximumLength)
        guard remaining >= length else { throw .truncated(field: "\(field)") }
        defer { position += length }
        guard let text = String(validating: bytes[position..<(position + length)], as: UTF8.self) else {
            throw .invalidField(field: "\(field)", reason: "not valid UTF-8")
        }
        return text
    }

    /// A UTC instant written by ``WireWriter/writeTimestamp(_:field:)``.
    mutating func readTimestamp(field: StaticString) throws(WireError) -> Date {
        try WireTime.date(microseconds: try readVarInt(field: field), field: field)
    }

    /// An element count, refused unless `count * minimumElementSize` bytes are still left:
    /// the bound that keeps `reserveCapacity(count)` proportional to the input's size.
    mutating func readCount(field: StaticString, minimumElementSize: Int) throws(WireError) -> Int {
        precondition(minimumElementSize > 0)
        let raw = try readVarUInt(field: field)
        guard raw <= UInt64(remaining / minimumElementSize) else {
            throw .invalidField(field: "\(field)", reason: "count \(raw) needs more than the \(remaining) bytes left")
        }
        return Int(raw)
    }

    /// `count` flags written by ``WireWriter/writeBitmap(_:)``; unused high bits must be zero.
    mutating func readBitmap(count: Int, field: StaticString) throws(WireError) -> [Bool] {
        let byteCount = (count + 7) / 8
        guard remaining >= byteCount else { throw .truncated(field: "\(field)") }
        var flags = [Bool](repeating: false, count: count)
        for index in 0..<count where bytes[position + index / 8] & (1 << (index % 8)) != 0 {
            flags[index] = true
        }
        if count % 8 != 0, bytes[position + byteCount - 1] >> (count % 8) != 0 {
            throw .invalidField(field: "\(field)", reason: "unused bitmap bits are set")
        }
        position += byteCount
        return flags
    }

    private mutating func readLength(field: StaticString, maximumLength: Int) throws(WireError) -> Int {
        let raw = try readVarUInt(field: field)
        guard raw <= UInt64(maximumLength) else {
            throw .invalidField(field: "\(field)", reason: "length \(raw) exceeds the limit of \(maximumLength)")
        }
        guard raw <= UInt64(remaining) else { throw .truncated(field: "\(field)") }
        return Int(raw)
    }
}
