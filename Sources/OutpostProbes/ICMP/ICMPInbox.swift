import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// What the async side hands the I/O thread, and the counters it publishes back.
/// Everything crosses threads through its mutexes and the wake-up pipe.
final class ICMPInbox: Sendable {
    private struct Pending {
        var requests: [RoundRequest] = []
        var isStopping = false
        var isStopped = false
        var stopWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let pending = Mutex(Pending())
    private let publishedCounters = Mutex(ICMPCounters())
    /// Read end (polled by the I/O thread) and write end of the wake-up pipe.
    let wakeReadFD: Int32
    private let wakeWriteFD: Int32

    init() throws(ICMPEngineError) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else {
            throw ICMPEngineError(description: "cannot create wake-up pipe: \(errorText(errno))", code: errno)
        }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        wakeReadFD = fds[0]
        wakeWriteFD = fds[1]
    }

    deinit {
        close(wakeReadFD)
        close(wakeWriteFD)
    }

    /// Queues rounds; `false` once the engine is stopping (none is queued then).
    func post(_ requests: [RoundRequest]) -> Bool {
        let shouldWake: Bool? = pending.withLock { state in
            guard !state.isStopping else { return nil }
            let wasEmpty = state.requests.isEmpty
            state.requests.append(contentsOf: requests)
            return wasEmpty
        }
        guard let shouldWake else { return false }
        if shouldWake { wake() }
        return true
    }

    /// Asks the I/O thread to stop and waits until it did.
    func stop() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let alreadyStopped = pending.withLock { state in
                state.isStopping = true
                if state.isStopped { return true }
                state.stopWaiters.append(continuation)
                return false
            }
            if alreadyStopped { continuation.resume() } else { wake() }
        }
    }

    /// Asks the I/O thread to stop without waiting.
    func requestStop() {
        pending.withLock { $0.isStopping = true }
        wake()
    }

    /// Moves the queued rounds into `requests` (which must be empty; its storage is reused);
    /// `false` when the loop must stop. `drainingWakeUps`: the wake-up pipe is readable.
    func take(into requests: inout [RoundRequest], drainingWakeUps: Bool) -> Bool {
        if drainingWakeUps { drainWakeUps() }
        return pending.withLock { state in
            if state.isStopping { return false }
            swap(&state.requests, &requests)
            return true
        }
    }

    /// Moves the rounds still queued at stop into `requests`; no more are accepted.
    func takeRemaining(into requests: inout [RoundRequest]) {
        pending.withLock { state in
            requests.append(contentsOf: state.requests)
            state.requests = []
        }
    }

    /// Marks the loop stopped (sockets closed) and releases whoever awaits ``stop()``.
    func markStopped() {
        let waiters = pending.withLock { state in
            state.isStopped = true
            defer { state.stopWaiters = [] }
            return state.stopWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// The latest counters published by the I/O thread.
    var counters: ICMPCounters { publishedCounters.withLock { $0 } }

    func publish(_ counters: ICMPCounters) {
        publishedCounters.withLock { $0 = counters }
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWriteFD, &byte, 1)
    }

    private func drainWakeUps() {
        var buffer = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        while withUnsafeMutableBytes(of: &buffer, { read(wakeReadFD, $0.baseAddress, $0.count) }) > 0 {}
    }
}
