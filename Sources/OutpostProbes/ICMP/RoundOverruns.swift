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

    /// Wraps `completion` so that it counts the round as overrun when it completes late;
    /// `postedAt` is the monotonic time the round was handed to the engine.
    func watching(
        _ configuration: PingConfiguration, postedAt: UInt64,
        completion: @escaping @Sendable (PingRoundResult) -> Void
    ) -> @Sendable (PingRoundResult) -> Void {
        let budget = postedAt + (configuration.roundDuration + Self.tolerance).nanoseconds
        return { [self] result in
            if MonotonicClock.now() > budget { total.add(1, ordering: .relaxed) }
            completion(result)
        }
    }
}
