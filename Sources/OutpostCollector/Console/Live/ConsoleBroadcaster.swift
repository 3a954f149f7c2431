import OutpostStore
import Synchronization

/// Hands each console change to the open event streams allowed to see it: the collector's one
/// `LISTEN` (``ConsoleEventFeed``) publishes here, each `GET /console/events` subscribes.
///
/// Each event gets an id `<epoch>-<sequence>` (the epoch is random per process), which the
/// browser sends back as `Last-Event-ID` when it reconnects: a stream resumed from an older id,
/// or from another process, starts with a `resync`.
final class ConsoleBroadcaster: Sendable {
    /// Bounds on the streams.
    struct Limits: Sendable {
        /// Open streams at most; beyond, `GET /console/events` answers 503.
        var maximumClients = 500
        /// Frames one stream may have waiting before they are replaced by a resync.
        var bufferedEvents = 64
        /// A stream ends after this long, and the browser reconnects (authenticating again: a
        /// logged-out session or a changed region limit takes effect then).
        var streamLifetime: Duration = .seconds(600)

        /// The defaults: 500 streams, 64 frames each, ten minutes.
        init() {}
    }

    private struct State {
        var subscribers: [ObjectIdentifier: ConsoleSubscriber] = [:]
        var sequence: UInt64 = 0
        var closed = false
    }

    let limits: Limits
    private let epoch = String(UInt32.random(in: .min ... .max), radix: 16)
    private let state = Mutex(State())

    init(limits: Limits = .init()) {
        self.limits = limits
    }

    /// Open streams.
    var count: Int { state.withLock { $0.subscribers.count } }

    /// The id of the newest event.
    var lastEventID: String { state.withLock { "\(epoch)-\($0.sequence)" } }

    /// A new stream for `principal`, or `nil` when ``Limits/maximumClients`` are open or the
    /// broadcaster was closed.
    func subscribe(_ principal: OperatorPrincipal) -> ConsoleSubscriber? {
        let subscriber = ConsoleSubscriber(
            principal: principal, capacity: limits.bufferedEvents,
            deadline: .now + limits.streamLifetime)
        let added = state.withLock { state in
            guard !state.closed, state.subscribers.count < limits.maximumClients else { return false }
            state.subscribers[ObjectIdentifier(subscriber)] = subscriber
            return true
        }
        return added ? subscriber : nil
    }

    /// Forgets `subscriber` (its stream ended).
    func remove(_ subscriber: ConsoleSubscriber) {
        _ = state.withLock { $0.subscribers.removeValue(forKey: ObjectIdentifier(subscriber)) }
        subscriber.finish()
    }

    /// Whether a stream resumed from `lastEventID` (the browser's `Last-Event-ID`) may have
    /// missed events: an id of this process older than the newest, or any other id.
    func missedEvents(since lastEventID: String) -> Bool {
        lastEventID != self.lastEventID
    }

    /// Queues `change` on every stream whose operator reaches its region.
    func publish(_ change: ConsoleChange) {
        let (sequence, subscribers) = state.withLock { state in
            state.sequence += 1
            return (state.sequence, Array(state.subscribers.values))
        }
        let frame = "id: \(epoch)-\(sequence)\nevent: change\ndata: \(change.eventData)\n\n"
        for subscriber in subscribers where AccessPolicy.reaches(subscriber.principal, region: change.region) {
            subscriber.offer(frame)
        }
    }

    /// Tells every stream that changes were missed (the listener was not listening).
    func resyncAll() {
        for subscriber in state.withLock({ Array($0.subscribers.values) }) { subscriber.resync() }
    }

    /// Asks every stream for a keep-alive comment, and ends those past their deadline.
    func keepAlive(now: ContinuousClock.Instant = .now) {
        let expired = state.withLock { state in
            let expired = state.subscribers.filter { $0.value.deadline <= now }
            for key in expired.keys { state.subscribers.removeValue(forKey: key) }
            return (expired: Array(expired.values), live: Array(state.subscribers.values))
        }
        for subscriber in expired.expired { subscriber.finish() }
        for subscriber in expired.live { subscriber.keepAlive() }
    }

    /// Ends every stream and refuses new ones.
    func close() {
        let subscribers = state.withLock { state in
            state.closed = true
            defer { state.subscribers.removeAll() }
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.finish() }
    }
}
