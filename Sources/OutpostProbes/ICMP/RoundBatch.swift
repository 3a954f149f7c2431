import OutpostCore
import Synchronization

/// Gathers the results of a batch of rounds and resumes the one task awaiting them when the
/// last arrives: a batch costs its waiter one suspension, not one per round.
final class RoundBatch: Sendable {
    private struct State {
        var results: [PingRoundResult]
        var remaining: Int
        var waiter: CheckedContinuation<[PingRoundResult], Never>?
    }

    private let state: Mutex<State>

    /// A batch of `count` rounds (at least one) whose results go to `waiter`.
    init(count: Int, waiter: CheckedContinuation<[PingRoundResult], Never>) {
        var results: [PingRoundResult] = []
        results.reserveCapacity(count)
        state = Mutex(State(results: results, remaining: count, waiter: waiter))
    }

    /// Takes one round's result; the last one resumes the waiter with all of them.
    func add(_ result: PingRoundResult) {
        let finished: (CheckedContinuation<[PingRoundResult], Never>, [PingRoundResult])? = state.withLock { state in
            state.results.append(result)
            state.remaining -= 1
            guard state.remaining == 0, let waiter = state.waiter else { return nil }
            state.waiter = nil
            defer { state.results = [] }
            return (waiter, state.results)
        }
        if let (waiter, results) = finished { waiter.resume(returning: results) }
    }
}
