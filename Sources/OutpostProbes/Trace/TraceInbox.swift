import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Commands for the trace I/O thread and its stop handshake; everything crosses threads
/// through the mutex and the wake-up pipe (as ``ICMPInbox`` does for pings).
final class TraceInbox: Sendable {
    private struct Pending {
        var commands: [TraceCommand] = []
        var isStopping = false
        var isStopped = false
        var stopWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let pending = Mutex(Pending())
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

    /// Queues a command; `false` once the engine is stopping.
    func post(_ command: TraceCommand) -> Bool {
        let shouldWake: Bool? = pending.withLock { state in
            guard !state.isStopping else { return nil }
            state.commands.append(command)
            return state.commands.count == 1
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

    /// Takes the queued commands; `nil` when the loop must stop.
    func take() -> [TraceCommand]? {
        var buffer = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        while withUnsafeMutableBytes(of: &buffer, { read(wakeReadFD, $0.baseAddress, $0.count) }) > 0 {}
        return pending.withLock { state in
            if state.isStopping { return nil }
            defer { state.commands.removeAll(keepingCapacity: true) }
            return state.commands
        }
    }

    /// Commands still queued at stop; no more are accepted.
    func takeRemaining() -> [TraceCommand] {
        pending.withLock { state in
            defer { state.commands = [] }
            return state.commands
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

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWriteFD, &byte, 1)
    }
}
