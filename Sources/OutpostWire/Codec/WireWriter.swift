import Foundation

/// Appends the protocol's primitive encodings to a byte array (see `docs/protocol.md`,
/// "Primitive encodings"). Every length-bounded field is checked here, so an encoder refuses
/// exactly what a decoder would refuse.
struct WireWriter {
    private(set) var bytes: [UInt8]

    init(reservingCapacity capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    mutating func writeByte(_ value: UInt8) {
        bytes.append(value)
    }

    /// Unsigned LEB128: seven bits per byte, least significant group first.
    mutating func writeVarUInt(_ value: UInt64) {
        var remaining = value
        while remaining >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        bytes.append(UInt8(remaining))
    }

    /// ZigZag-mapped signed value as unsigned LEB128 (0, -1, 1, -2 … become 0, 1, 2, 3 …).
    mutating func writeVarInt(_ value: Int64) {
        writeVarUInt(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// IEEE 754 binary64, bit pattern big-endian.
    mutating func writeFloat64(_ value: Double) {
        writeFixed(value.bitPattern)
    }

    /// Fixed-width big-endian unsigned integer.
    mutating func writeFixed<T: FixedWidthInteger & UnsignedInteger>(_ value: T) {
        var big = value.bigEndian
        withUnsafeBytes(of: &big) { bytes.append(contentsOf: $0) }
    }

    /// The 16 bytes of the UUID in RFC 4122 order.
    mutating func writeUUID(_ uuid: UUID) {
        withUnsafeBytes(of: uuid.uuid) { bytes.append(contentsOf: $0) }
    }

    /// 0 for absent, 1 for present.
    mutating func writePresence(_ present: Bool) {
        bytes.append(present ? 1 : 0)
    }

    /// Bytes as they are, no length (the caller wrote it or the size is fixed).
    mutating func writeRaw(_ value: some Collection<UInt8>) {
        bytes.append(contentsOf: value)
    }

    /// Length (varint) then the raw bytes; bounded only by the frame.
    mutating func writeBytes(_ value: some Collection<UInt8>) {
        writeVarUInt(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// Length (varint) then the UTF-8 bytes, refused beyond `maximumLength` bytes.
    mutating func writeString(_ value: String, field: StaticString, maximumLength: Int) throws(WireError) {
        let utf8 = value.utf8
        guard utf8.count <= maximumLength else {
            throw .invalidField(field: "\(field)", reason: "\(utf8.count) bytes exceed the limit of \(maximumLength)")
        }
        writeBytes(utf8)
    }

    /// A UTC instant as microseconds since the Unix epoch (see ``WireTime``).
    mutating func writeTimestamp(_ date: Date, field: StaticString) throws(WireError) {
        writeVarInt(try WireTime.microseconds(of: date, field: field))
    }

    /// Bit `i % 8` of byte `i / 8` is set when `flags[i]` is true; unused high bits are zero.
    mutating func writeBitmap(_ flags: some Sequence<Bool>) {
        var current: UInt8 = 0
        var bit = 0
        for flag in flags {
            if flag { current |= 1 << bit }
            bit += 1
            if bit == 8 {
                bytes.append(current)
                current = 0
                bit = 0
            }
        }
        if bit > 0 { bytes.append(current) }
    }
}
