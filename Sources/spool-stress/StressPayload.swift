/// Self-describing payloads: a header naming the writer run and index, then bytes derived from
/// both, so a checker can tell an intact payload from a torn or foreign one without a side list.
enum StressPayload {
    static let magic: UInt32 = 0x5354_5253  // "STRS"
    static let headerSize = 24

    /// The payload number `index` of run `seed`, 16 bytes to ~60 KB long.
    static func make(seed: UInt64, index: UInt64) -> [UInt8] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 ^ index &* 0xBF58_476D_1CE4_E5B9 | 1
        let length = Int(next(&state) % 60_000) + 16
        var bytes: [UInt8] = []
        bytes.reserveCapacity(headerSize + length)
        for value in [UInt64(magic), seed, index] {
            withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        }
        for _ in 0..<length { bytes.append(UInt8(truncatingIfNeeded: next(&state))) }
        return bytes
    }

    /// The run and index a payload claims, when it is exactly what `make` produces for them.
    static func check(_ bytes: [UInt8]) -> (seed: UInt64, index: UInt64)? {
        guard bytes.count >= headerSize else { return nil }
        let field = { (offset: Int) in
            bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
        }
        guard field(0) == UInt64(magic) else { return nil }
        let seed = field(8)
        let index = field(16)
        return make(seed: seed, index: index) == bytes ? (seed, index) : nil
    }

    /// The result count a payload is appended with.
    static func resultCount(of bytes: [UInt8]) -> UInt32 { UInt32(bytes.count % 1000 + 1) }

    private static func next(_ state: inout UInt64) -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}
