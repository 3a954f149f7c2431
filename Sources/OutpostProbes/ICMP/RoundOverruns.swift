import OutpostCore
import Synchronization

/// Counts an engine's rounds overrun: rounds that completed more than ``tolerance`` after
/// their own duration (`(packetsPerRound - 1) * packetInterval + timeout`), timed from the
/// moment they were handed to the engine. Such a round waited in the send queue, behind the
/// global rate limit, beyond what its settings allow; a rate that keeps up with the demand
/// leaves it at zero (docs/architecture.md, "Agent ICMP send rate").
final class RoundOverruns: Sendable {
    /// Lateness not counted: beyond the I/O thread's scheduling noise under load (its timer
    /// wheel ticks in milliseconds), and a tenth of the default 10 s interval.
    static let tolerance = Duration.seconds(1)

    private let total = Atomic<Int>(0)

    /// Rounds overrun since the engine started.
    var count: Int { total.load(ordering: .relaxed) }

    /// The monotonic time after which a round with `configuration`, handed to the engine at
    /// `postedAt`, counts as overrun.
    static func deadline(of configuration: PingConfiguration, postedAt: UInt64) -> UInt64 {
        postedAt + (configuration.roundDuration + tolerance).nanoseconds
    }

    /// Counts a round that completed at `completedAt`, past its `deadline`, as overrun.
    func record(completedAt: UInt64, deadline: UInt64) {
        if completedAt > deadline { total.add(1, ordering: .relaxed) }
    }
}
