import Synchronization

/// Work raced against a time limit, in a task of its own.
///
/// postgres-nio 1.33 can leave a call suspended for ever: a query written on a channel that
/// closed a moment earlier is never failed. A task group would wait for such a child on exit,
/// so the work runs in an unstructured task and the caller stops waiting at the deadline (or
/// when it is cancelled) whether or not the work ever ends. `abandon` must then make the work
/// end if it still can (close its connection); it runs at most once, and only while the work
/// has not ended. Reproductions: `docs/upstream/postgres-nio.md#query-after-close` and `#copy-server-lost-hang`.
public enum Deadline {
    /// The result of `work`, or ``DatabaseTimedOut`` after `timeout` (`CancellationError` when
    /// the caller is cancelled first); in both cases `abandon` is called and the work's task is
    /// cancelled.
    public static func run<Result: Sendable>(
        timeout: Duration,
        abandon: @escaping @Sendable () -> Void,
        _ work: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        let race = Race<Result>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                guard race.start(continuation) else {
                    return continuation.resume(throwing: CancellationError())
                }
                race.attach(
                    Task {
                        do {
                            race.finish(with: .success(try await work()))
                        } catch {
                            race.finish(with: .failure(error))
                        }
                    })
                let timer = Task {
                    try? await Task.sleep(for: timeout)
                    if race.giveUp(with: DatabaseTimedOut(timeout: timeout)) { abandon() }
                }
                race.onFinish { timer.cancel() }
            }
        } onCancel: {
            if race.giveUp(with: CancellationError()) { abandon() }
        }
    }

    /// Who ends first, the work or the caller's patience.
    private final class Race<Value: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<Value, any Error>?
            var ended = false
            var finished: (@Sendable () -> Void)?
            var attempt: Task<Void, Never>?
            var gaveUp = false
        }

        private let state = Mutex(State())

        /// Registers the caller; false when it was cancelled before.
        func start(_ continuation: CheckedContinuation<Value, any Error>) -> Bool {
            state.withLock { state in
                if state.gaveUp { return false }
                state.continuation = continuation
                return true
            }
        }

        /// Records the work's task, cancelled at once when the caller gave up meanwhile.
        func attach(_ attempt: Task<Void, Never>) {
            let gaveUp = state.withLock { state in
                state.attempt = attempt
                return state.gaveUp
            }
            if gaveUp { attempt.cancel() }
        }

        /// Runs `action` once the work has ended (at once if it has).
        func onFinish(_ action: @escaping @Sendable () -> Void) {
            let ended = state.withLock { state in
                if !state.ended { state.finished = action }
                return state.ended
            }
            if ended { action() }
        }

        /// The work ended: its result goes to the caller unless the caller stopped waiting.
        func finish(with result: Result<Value, any Error>) {
            let (continuation, finished) = state.withLock { state in
                state.ended = true
                defer {
                    state.continuation = nil
                    state.finished = nil
                }
                return (state.continuation, state.finished)
            }
            continuation?.resume(with: result)
            finished?()
        }

        /// The caller stops waiting with `error`; true when the work has not ended (it must be
        /// abandoned), false when the work ended first or the caller stopped waiting already.
        func giveUp(with error: any Error) -> Bool {
            let (continuation, attempt): (CheckedContinuation<Value, any Error>?, Task<Void, Never>?) = state.withLock {
                state in
                if state.ended || state.gaveUp { return (nil, nil) }
                state.gaveUp = true
                defer { state.continuation = nil }
                return (state.continuation, state.attempt)
            }
            guard let continuation else { return false }
            attempt?.cancel()
            continuation.resume(throwing: error)
            return true
        }
    }
}
