import Foundation
import OutpostTestSupport
import Testing

/// Seeds of a property test: `OUTPOST_WIRE_SEED` replays a run, otherwise a fresh random base.
enum PropertySeeds {
    static let base: UInt64 =
        ProcessInfo.processInfo.environment["OUTPOST_WIRE_SEED"].flatMap(UInt64.init)
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
