import Foundation
import Testing

/// SplitMix64: a small, fast, seedable generator so a failing property case can be replayed
/// from the seed printed in its failure message.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Seeds of a property test: `OUTPOST_WIRE_SEED` replays a run, otherwise a fresh random base.
enum PropertySeeds {
    static let base: UInt64 = ProcessInfo.processInfo.environment["OUTPOST_WIRE_SEED"].flatMap(UInt64.init)
        ?? UInt64.random(in: 0...UInt64.max)

    /// `count` case seeds derived from the base seed and a per-test salt.
    static func cases(_ count: Int, salt: UInt64) -> [UInt64] {
        var generator = SeededGenerator(seed: base ^ salt)
        return (0..<count).map { _ in generator.next() }
    }

    /// How to replay a failing case, after what failed.
    static func replay(_ seed: UInt64, _ failure: String = "") -> Comment {
        Comment(rawValue: failure + " case seed \(seed) (run with OUTPOST_WIRE_SEED=\(base) to replay the whole test)")
    }
}
