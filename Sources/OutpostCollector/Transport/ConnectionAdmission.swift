import Metrics
import NIOCore
import Synchronization

/// Caps the connections a listener holds, before any TLS work is done for them: at most
/// ``Limits/maximumConnections`` in all and ``Limits/maximumPerSource`` from one source address,
/// so idle sockets from one host cannot starve the others, and a flood costs the collector
/// a file descriptor and an accept each, nothing more.
///
/// Call ``admit(_:)`` first thing in the child channel initializer: a refused connection is
/// closed right there, before it is wrapped for async use (dropping an unclosed
/// `NIOAsyncChannel` stops the process), and the initializer throws so it is never served.
/// An admitted connection is closed ``Limits/handshakeTimeout`` after accept unless the
/// deadline ``admit(_:)`` returns is cancelled (when its handshake completed).
final class ConnectionAdmission: Sendable {
    /// The caps.
    struct Limits: Sendable {
        /// Connections held at once, all sources together.
        var maximumConnections: Int
        /// Connections held at once from one source address.
        var maximumPerSource: Int
        /// Time from accept to a completed handshake.
        var handshakeTimeout: TimeAmount
    }

    /// A connection closed at accept because a cap was reached.
    struct Refused: Error, CustomStringConvertible {
        let reason: String
        var description: String { "connection refused: \(reason)" }
    }

    private struct Counts {
        var total = 0
        var bySource: [String: Int] = [:]
    }

    let limits: Limits
    private let counts = Mutex(Counts())
    private let refusals: Counter

    /// Caps for the listener named `listener` (`agents` or `enrolment`: the label of
    /// `outpost_connections_refused_total`).
    init(limits: Limits, listener: String) {
        self.limits = limits
        self.refusals = Counter(label: "outpost_connections_refused_total", dimensions: [("listener", listener)])
    }

    /// Connections currently held.
    var connections: Int { counts.withLock { $0.total } }

    /// Counts `channel` in, or closes it and throws ``Refused`` when a cap is reached. The
    /// count is given back when the channel closes. Returns the handshake deadline.
    @discardableResult
    func admit(_ channel: any Channel) throws -> Scheduled<Void> {
        let source = channel.remoteAddress?.ipAddress ?? "unknown"
        let refusal: String? = counts.withLock { counts in
            if counts.total >= limits.maximumConnections { return "\(limits.maximumConnections) connections held" }
            if counts.bySource[source, default: 0] >= limits.maximumPerSource {
                return "\(limits.maximumPerSource) connections held from \(source)"
            }
            counts.total += 1
            counts.bySource[source, default: 0] += 1
            return nil
        }
        if let refusal {
            refusals.increment()
            channel.close(promise: nil)
            throw Refused(reason: refusal)
        }
        let deadline = channel.eventLoop.scheduleTask(in: limits.handshakeTimeout) { channel.close(promise: nil) }
        channel.closeFuture.whenComplete { _ in
            deadline.cancel()
            self.counts.withLock { counts in
                counts.total -= 1
                let left = counts.bySource[source, default: 1] - 1
                counts.bySource[source] = left > 0 ? left : nil
            }
        }
        return deadline
    }
}
