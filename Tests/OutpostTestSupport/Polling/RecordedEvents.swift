import Synchronization

/// What a callback under test reported, in order, for a test to wait on with a time limit.
public final class RecordedEvents: Sendable {
    private let events = Mutex<[String]>([])

    public init() {}

    public func record(_ event: String) {
        events.withLock { $0.append(event) }
    }

    /// How many recorded events are `event`.
    public func count(of event: String) -> Int {
        events.withLock { $0.filter { $0 == event }.count }
    }

    /// Waits until `event` was recorded `times` times; false when `limit` passed first.
    public func wait(for event: String, times: Int = 1, within limit: Duration = .seconds(30)) async throws -> Bool {
        let end = ContinuousClock.now + limit
        while count(of: event) < times {
            guard ContinuousClock.now < end else { return false }
            try await Task.sleep(for: .milliseconds(20))
        }
        return true
    }
}
