import OutpostStore
import Synchronization

/// One open event stream: the frames waiting for it, in a buffer of bounded size, and the
/// wake-ups of the task writing them to the browser.
///
/// A client too slow to take its frames (its connection's send buffer full) loses them all
/// when the buffer overflows and gets one `resync` instead (the page then fetches itself
/// anew): memory stays bounded whatever the client does.
final class ConsoleSubscriber: Sendable {
    /// What the stream writes next.
    struct Batch: Sendable, Equatable {
        /// `change` frames, oldest first (empty when ``resync`` replaced them).
        var frames: [String] = []
        /// Changes were lost: the page must fetch itself anew.
        var resync = false
        /// Nothing was written for a keep-alive interval.
        var keepAlive = false

        var isEmpty: Bool { frames.isEmpty && !resync && !keepAlive }
    }

    private struct State {
        var batch = Batch()
        var finished = false
    }

    /// The operator the stream is for.
    let principal: OperatorPrincipal
    /// When the stream ends, so that the browser reconnects and authenticates again.
    let deadline: ContinuousClock.Instant
    private let capacity: Int
    private let state = Mutex(State())
    private let continuation: AsyncStream<Void>.Continuation
    /// Signalled whenever ``take()`` has something; finishes with the stream.
    let wakes: AsyncStream<Void>

    /// A stream for `principal` holding at most `capacity` frames, ending at `deadline`.
    init(principal: OperatorPrincipal, capacity: Int, deadline: ContinuousClock.Instant) {
        self.principal = principal
        self.capacity = capacity
        self.deadline = deadline
        (wakes, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues a `change` frame; on overflow, drops every queued frame for a resync.
    func offer(_ frame: String) {
        update { batch in
            guard !batch.resync else { return }
            if batch.frames.count >= capacity {
                batch.frames.removeAll()
                batch.resync = true
            } else {
                batch.frames.append(frame)
            }
        }
    }

    /// Replaces the queued frames with a resync (changes were missed upstream).
    func resync() {
        update { batch in
            batch.frames.removeAll()
            batch.resync = true
        }
    }

    /// Asks for a keep-alive comment.
    func keepAlive() {
        update { $0.keepAlive = true }
    }

    /// What is waiting, emptied.
    func take() -> Batch {
        state.withLock { state in
            defer { state.batch = Batch() }
            return state.batch
        }
    }

    /// Ends the stream: ``wakes`` finishes once its last wake-up is taken.
    func finish() {
        state.withLock { $0.finished = true }
        continuation.finish()
    }

    private func update(_ change: (inout Batch) -> Void) {
        let live = state.withLock { state in
            if !state.finished { change(&state.batch) }
            return !state.finished
        }
        if live { continuation.yield() }
    }
}
