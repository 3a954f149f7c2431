import PostgresNIO
import Synchronization

/// What one listening connection reports to ``PostgresChannelListener``, which waits for it
/// with a time limit.
final class ListenSession: Sendable {
    /// A step of the session.
    enum Event: Sendable {
        /// `LISTEN` is in force on this connection.
        case listening(PostgresConnection)
        /// The session is over, with why.
        case ended(any Error)
    }

    private struct State {
        var events: [Event] = []
        var waiter: CheckedContinuation<Event?, Never>?
    }

    /// The session's connection, closed when the session is abandoned.
    let lease = ConnectionLease()
    private let state = Mutex(State())

    /// Hands `event` to the waiter, or keeps it for the next wait.
    func report(_ event: Event) {
        let waiter = state.withLock { state in
            defer { state.waiter = nil }
            if state.waiter == nil { state.events.append(event) }
            return state.waiter
        }
        waiter?.resume(returning: event)
    }

    /// The next event, or `nil` when none came within `timeout` or the caller was cancelled.
    func next(within timeout: Duration) async -> Event? {
        await withTaskGroup(of: Event?.self) { group in
            group.addTask { await self.next() }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            var event = await group.next() ?? nil
            group.cancelAll()
            // An event the other child took meanwhile is not dropped.
            for await result in group { if let result { event = result } }
            return event
        }
    }

    /// The next event; `nil` when cancelled first.
    private func next() async -> Event? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { waiter in
                let ready: Event?? = state.withLock { state in
                    if !state.events.isEmpty { return .some(state.events.removeFirst()) }
                    if Task.isCancelled { return .some(nil) }
                    state.waiter = waiter
                    return nil
                }
                if let ready { waiter.resume(returning: ready) }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: nil)
        }
    }
}
