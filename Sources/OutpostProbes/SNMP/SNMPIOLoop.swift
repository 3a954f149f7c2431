import CNetSNMP
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The thread-safe front of one I/O thread: callers enqueue requests and wake the thread
/// through a pipe that its select loop watches. The thread itself runs `SNMPLoopRunner`.
final class SNMPIOLoop: Sendable {
    private struct Inbox {
        var requests: [SNMPRequest] = []
        var wakePending = false
        var stopRequested = false
        var stopWaiters: [CheckedContinuation<Void, Never>] = []
        var finished = false
    }

    private let inbox = Mutex(Inbox())
    /// Read end of the wake pipe (watched by the loop's select).
    let wakeReader: Int32
    private let wakeWriter: Int32

    init() throws(SNMPError) {
        var fds: [Int32] = [0, 0]
        guard outpost_wake_pipe(&fds) == 0 else { throw .sessionFailed("cannot create wake pipe: errno \(errno)") }
        wakeReader = fds[0]
        wakeWriter = fds[1]
    }

    deinit {
        close(wakeReader)
        close(wakeWriter)
    }

    /// Starts the I/O thread.
    func start() {
        let thread = Thread { [self] in
            SNMPLoopRunner(loop: self).run()
        }
        thread.name = "outpost-snmp-io"
        thread.start()
    }

    /// Queues a request; completes it with `.shutdown` at once when the loop is stopping.
    func submit(_ request: SNMPRequest) {
        let accepted = inbox.withLock { inbox -> Bool in
            guard !inbox.stopRequested else { return false }
            inbox.requests.append(request)
            wakeLocked(&inbox)
            return true
        }
        if !accepted { request.complete(.failure(.shutdown)) }
    }

    /// Asks the loop to stop without waiting (used from deinit of the engine).
    func requestStop() {
        inbox.withLock { inbox in
            inbox.stopRequested = true
            wakeLocked(&inbox)
        }
    }

    /// Stops the loop: pending requests complete with `.shutdown`, sessions close.
    func stop() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = inbox.withLock { inbox -> Bool in
                if inbox.finished { return true }
                inbox.stopRequested = true
                inbox.stopWaiters.append(continuation)
                wakeLocked(&inbox)
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Called by the loop thread: takes the queued requests and whether to stop.
    func drain() -> (requests: [SNMPRequest], stop: Bool) {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(wakeReader, &buffer, buffer.count) > 0 {}
        return inbox.withLock { inbox in
            inbox.wakePending = false
            defer { inbox.requests.removeAll() }
            return (inbox.requests, inbox.stopRequested)
        }
    }

    /// Called by the loop thread as its last action.
    func finished() {
        let waiters = inbox.withLock { inbox in
            inbox.finished = true
            let leftovers = inbox.requests
            inbox.requests.removeAll()
            defer { inbox.stopWaiters.removeAll() }
            return (inbox.stopWaiters, leftovers)
        }
        for request in waiters.1 { request.complete(.failure(.shutdown)) }
        for waiter in waiters.0 { waiter.resume() }
    }

    private func wakeLocked(_ inbox: inout Inbox) {
        guard !inbox.wakePending else { return }
        inbox.wakePending = true
        var byte: UInt8 = 1
        _ = write(wakeWriter, &byte, 1)
    }
}
