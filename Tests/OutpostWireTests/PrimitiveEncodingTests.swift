import Foundation
import OutpostTestSupport
import Testing

@testable import OutpostWire

/// The primitive encodings of `docs/protocol.md`, byte for byte.
@Suite("Primitive encodings")
struct PrimitiveEncodingTests {
    @Test(
        "varints are LEB128, signed ones ZigZag",
        arguments: [
            (UInt64(0), [0x00]), (1, [0x01]), (127, [0x7F]), (128, [0x80, 0x01]), (300, [0xAC, 0x02]),
            (UInt64.max, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
        ] as [(UInt64, [UInt8])])
    func varints(value: UInt64, bytes: [UInt8]) throws {
        var writer = WireWriter()
        writer.writeVarUInt(value)
        #expect(writer.bytes == bytes)
        var reader = WireReader(bytes)
        #expect(try reader.readVarUInt(field: "v") == value)
    }

    @Test("ZigZag maps 0, -1, 1, -2 to 0, 1, 2, 3")
    func zigzag() throws {
        for (value, encoded) in [(Int64(0), UInt8(0)), (-1, 1), (1, 2), (-2, 3), (63, 126), (-64, 127)] {
            var writer = WireWriter()
            writer.writeVarInt(value)
            #expect(writer.bytes == [encoded])
        }
        for value in [Int64.min, Int64.max, -1_000_000_007] {
            var writer = WireWriter()
            writer.writeVarInt(value)
            var reader = WireReader(writer.bytes)
            #expect(try reader.readVarInt(field: "v") == value)
        }
    }

    @Test("overlong and overflowing varints are refused")
    func malformedVarints() {
        for bytes: [UInt8] in [
            [0x80, 0x00], [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02],
            [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
        ] {
            var reader = WireReader(bytes)
            #expect(throws: WireError.self) { try reader.readVarUInt(field: "v") }
        }
    }

    @Test("strings must be valid UTF-8 and within their limit")
    func strings() {
        var invalid = WireReader([2, 0xC3, 0x28])
        #expect(throws: WireError.invalidField(field: "s", reason: "not valid UTF-8")) {
            try invalid.readString(field: "s", maximumLength: 10)
        }
        var long = WireReader([11] + [UInt8](repeating: 0x61, count: 11))
        #expect(throws: WireError.invalidField(field: "s", reason: "length 11 exceeds the limit of 10")) {
            try long.readString(field: "s", maximumLength: 10)
        }
        var short = WireReader([5, 0x61])
        #expect(throws: WireError.truncated(field: "s")) { try short.readString(field: "s", maximumLength: 10) }
    }

    @Test("bitmaps are least significant bit first and refuse stray high bits")
    func bitmaps() throws {
        var writer = WireWriter()
        writer.writeBitmap([true, false, false, true, false, false, false, false, true])
        #expect(writer.bytes == [0b0000_1001, 0b0000_0001])
        var stray = WireReader([0b0000_1001, 0b0000_0011])
        #expect(throws: WireError.invalidField(field: "b", reason: "unused bitmap bits are set")) {
            try stray.readBitmap(count: 9, field: "b")
        }
    }

    @Test("presence flags other than 0 and 1 are refused")
    func presence() {
        var reader = WireReader([2])
        #expect(throws: WireError.invalidField(field: "p", reason: "presence flag 2 is neither 0 nor 1")) {
            try reader.readPresence(field: "p")
        }
    }

    @Test("timestamps are Unix microseconds, exact for every microsecond of the range's edges")
    func timestamps() throws {
        let edges: [Int64] = [0, 1, 978_307_200_000_000, 1_764_000_000_123_457, 2_840_140_799_999_999]
        for microseconds in edges {
            let date = try WireTime.date(microseconds: microseconds, field: "t")
            #expect(try WireTime.microseconds(of: date, field: "t") == microseconds)
        }
        #expect(try WireTime.date(microseconds: 1_000_000, field: "t") == Date(timeIntervalSince1970: 1))
        #expect(throws: WireError.self) { try WireTime.date(microseconds: -1, field: "t") }
        #expect(throws: WireError.self) { try WireTime.date(microseconds: 2_840_140_800_000_000, field: "t") }
    }

    @Test("every microsecond in the range survives Date conversion (random sample)")
    func timestampsExactInRange() throws {
        for seed in PropertySeeds.cases(200_000, salt: 0x71AE) {
            var generator = SeededGenerator(seed: seed)
            let microseconds = Int64.random(in: WireTime.validMicroseconds, using: &generator)
            let date = try WireTime.date(microseconds: microseconds, field: "t")
            let back = try WireTime.microseconds(of: date, field: "t")
            guard back == microseconds else {
                Issue.record(PropertySeeds.replay(seed, "\(microseconds) came back as \(back)"))
                return
            }
        }
    }
}
