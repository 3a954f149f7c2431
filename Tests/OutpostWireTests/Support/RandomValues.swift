import Foundation
import OutpostCore
import OutpostTestSupport

@testable import OutpostWire

/// Random contents for every field type the protocol carries, within its limits.
struct RandomValues {
    var generator: SeededGenerator

    init(seed: UInt64) {
        generator = SeededGenerator(seed: seed)
    }

    mutating func bool() -> Bool { Bool.random(using: &generator) }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &generator) }

    /// Small, medium and extreme values, so every varint length is exercised.
    mutating func uint64() -> UInt64 {
        switch int(0...3) {
        case 0: UInt64.random(in: 0...0x7F, using: &generator)
        case 1: UInt64.random(in: 0...0xFFFF, using: &generator)
        case 2: [0, 1, UInt64.max, UInt64.max - 1, 1 << 63][int(0...4)]
        default: UInt64.random(in: 0...UInt64.max, using: &generator)
        }
    }

    mutating func int64() -> Int64 { Int64(bitPattern: uint64()) }

    mutating func uint32() -> UInt32 { UInt32(truncatingIfNeeded: uint64()) }

    mutating func uint16() -> UInt16 { UInt16(truncatingIfNeeded: uint64()) }

    mutating func optional<T>(_ make: (inout RandomValues) -> T) -> T? {
        bool() ? make(&self) : nil
    }

    mutating func bytes(maximumLength: Int = 300) -> [UInt8] {
        (0..<int(0...maximumLength)).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// UTF-8 text mixing ASCII, two-, three- and four-byte scalars, at most `maximumBytes` long.
    mutating func string(maximumBytes: Int) -> String {
        let alphabet: [Character] = ["a", "Z", "0", " ", "\n", "é", "ß", "→", "日", "€", "🙂", "𝄞", "\u{0}"]
        var text = ""
        let target = int(0...maximumBytes)
        while true {
            let next = alphabet[int(0...(alphabet.count - 1))]
            if text.utf8.count + String(next).utf8.count > target { return text }
            text.append(next)
        }
    }

    mutating func uuid() -> UUID {
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255, using: &generator) }
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }

    /// A microsecond-aligned instant anywhere in the protocol's range (1970…2059).
    mutating func date() -> Date {
        let microseconds = Int64.random(in: WireTime.validMicroseconds, using: &generator)
        return try! WireTime.date(microseconds: microseconds, field: "test")
    }

    /// Any finite or infinite double (NaN excluded: it is never equal to itself).
    mutating func double() -> Double {
        switch int(0...3) {
        case 0:
            return Double.random(in: 0...1000, using: &generator)
        case 1:
            return [0, -0.0, .infinity, -.infinity, .greatestFiniteMagnitude, .leastNonzeroMagnitude][int(0...5)]
        default:
            while true {
                let value = Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &generator))
                if !value.isNaN { return value }
            }
        }
    }
}
