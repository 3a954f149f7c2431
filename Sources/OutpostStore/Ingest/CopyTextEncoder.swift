import Foundation
import NIOCore
import OutpostCore

/// Writes rows in PostgreSQL's COPY text format into a `ByteBuffer`.
///
/// Hand-written because postgres-nio's `copyFrom` takes raw bytes only (text format): fields
/// are tab-separated, rows end with a newline, `\N` is NULL, and backslash, tab, newline and
/// carriage return inside a value are escaped (`docs/upstream/postgres-nio.md#copy-text-only`).
struct CopyTextEncoder {
    private(set) var buffer: ByteBuffer
    private var fieldsInRow = 0

    init(capacity: Int = 1 << 20) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    /// Ends the current row.
    mutating func endRow() {
        buffer.writeInteger(UInt8(ascii: "\n"))
        fieldsInRow = 0
    }

    /// Hands out the bytes written so far and starts a new buffer.
    mutating func take() -> ByteBuffer {
        defer { buffer = ByteBufferAllocator().buffer(capacity: buffer.capacity) }
        return buffer
    }

    private mutating func separate() {
        if fieldsInRow > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
        fieldsInRow += 1
    }

    mutating func null() {
        separate()
        buffer.writeStaticString("\\N")
    }

    mutating func text(_ value: String?) {
        guard let value else { return null() }
        separate()
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
            case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
            case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
            case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
            case 0: continue  // PostgreSQL text cannot hold NUL
            default: buffer.writeInteger(byte)
            }
        }
    }

    mutating func integer(_ value: Int) {
        separate()
        buffer.writeString(String(value))
    }

    mutating func double(_ value: Double?) {
        guard let value, value.isFinite else { return null() }
        separate()
        buffer.writeString(value.description)
    }

    mutating func bool(_ value: Bool) {
        separate()
        buffer.writeInteger(value ? UInt8(ascii: "t") : UInt8(ascii: "f"))
    }

    /// Lowercase hex with dashes, written byte by byte: `UUID.uuidString` formats with
    /// `sprintf` on Linux, which cost more than the rest of a row.
    mutating func uuid(_ value: UUID?) {
        guard let value else { return null() }
        separate()
        _ = withUnsafeBytes(of: value.uuid) { bytes in
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 36) { out in
                var written = 0
                for (offset, byte) in bytes.enumerated() {
                    if offset == 4 || offset == 6 || offset == 8 || offset == 10 {
                        out[written] = UInt8(ascii: "-")
                        written += 1
                    }
                    out[written] = Self.hexDigits[Int(byte >> 4)]
                    out[written + 1] = Self.hexDigits[Int(byte & 0x0F)]
                    written += 2
                }
                return written
            }
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A UTC timestamp with microseconds, e.g. `2026-11-25 05:33:40.123456+00`.
    mutating func timestamp(_ date: Date) {
        separate()
        UTCTimestamp.write(date, into: &buffer)
    }
}

/// Formats instants as PostgreSQL timestamptz literals in UTC, without a `DateFormatter`
/// (which is slow and locale-dependent) on the ingest hot path.
enum UTCTimestamp {
    static func format(_ date: Date) -> String {
        var buffer = ByteBufferAllocator().buffer(capacity: 32)
        write(date, into: &buffer)
        return String(buffer: buffer)
    }

    /// Writes `format(date)` into `buffer` digit by digit (a row's timestamp without a String).
    static func write(_ date: Date, into buffer: inout ByteBuffer) {
        let totalMicros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        var days = totalMicros / 86_400_000_000
        var micros = totalMicros % 86_400_000_000
        if micros < 0 {
            micros += 86_400_000_000
            days -= 1
        }
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        let seconds = micros / 1_000_000
        writeDigits(year, width: 4, separator: "-", into: &buffer)
        writeDigits(month, width: 2, separator: "-", into: &buffer)
        writeDigits(day, width: 2, separator: " ", into: &buffer)
        writeDigits(seconds / 3600, width: 2, separator: ":", into: &buffer)
        writeDigits(seconds / 60 % 60, width: 2, separator: ":", into: &buffer)
        writeDigits(seconds % 60, width: 2, separator: ".", into: &buffer)
        writeDigits(micros % 1_000_000, width: 6, separator: nil, into: &buffer)
        buffer.writeStaticString("+00")
    }

    /// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
    static func civilDate(daysSinceEpoch: Int64) -> (Int64, Int64, Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `YYYY-MM-DD` of the UTC day of `date`.
    static func day(_ date: Date) -> String {
        String(format(date).prefix(10))
    }

    /// `value` in decimal, zero-padded to `width` digits (more if it has more), then `separator`.
    private static func writeDigits(
        _ value: Int64, width: Int, separator: Unicode.Scalar?, into buffer: inout ByteBuffer
    ) {
        let magnitude = value.magnitude
        var divisor: UInt64 = 1
        var count = 1
        while magnitude / divisor >= 10 {
            divisor *= 10
            count += 1
        }
        if value < 0 { buffer.writeInteger(UInt8(ascii: "-")) }
        for _ in count..<max(width, count) { buffer.writeInteger(UInt8(ascii: "0")) }
        while divisor > 0 {
            buffer.writeInteger(UInt8(ascii: "0") + UInt8(magnitude / divisor % 10))
            divisor /= 10
        }
        if let separator { buffer.writeInteger(UInt8(ascii: separator)) }
    }
}
