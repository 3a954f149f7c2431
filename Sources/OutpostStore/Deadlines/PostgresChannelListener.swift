import Logging
import PostgresNIO

/// Follows `LISTEN channel` on a pooled connection for as long as it runs, and never stays
/// deaf for long: every step that waits on the server has a time limit.
///
/// - `LISTEN` must be in force within ``Timing/timeout`` of leasing a connection;
/// - a connection that the server closes (a crash, a restart) ends the session at once;
/// - one that stops answering (a frozen server, a cut network) is found by a `SELECT 1` every
///   ``Timing/checkInterval`` that must answer within ``Timing/timeout``.
///
/// After a failure the connection is closed, and after ``Timing/reconnectDelay`` the listener
/// leases another one and listens again. Notifications sent while it was not listening are
/// lost, so `listening` is called each time `LISTEN` is in force (the first time included):
/// that is where the caller catches up, for example by reloading what the channel announces.
/// A `listening` that throws ends the session like a lost connection.
public struct PostgresChannelListener: Sendable {
    /// Time limits of a listener.
    public struct Timing: Sendable {
        /// Limit for `LISTEN` to be in force, and for each liveness check to answer.
        public var timeout: Duration
        /// Pause between liveness checks of an idle connection.
        public var checkInterval: Duration
        /// Pause before listening again after a failure.
        public var reconnectDelay: Duration

        /// Limits of `timeout` (10 s), a check every `checkInterval` (15 s) and `reconnectDelay` (1 s).
        public init(
            timeout: Duration = PostgresClient.callTimeout, checkInterval: Duration = .seconds(15),
            reconnectDelay: Duration = .seconds(1)
        ) {
            self.timeout = timeout
            self.checkInterval = checkInterval
            self.reconnectDelay = reconnectDelay
        }
    }

    private let client: PostgresClient
    private let channel: String
    /// The listener's time limits.
    public let timing: Timing
    private let logger: Logger

    /// A listener on `channel` through `client` (which must be running).
    public init(client: PostgresClient, channel: String, timing: Timing = .init(), logger: Logger) {
        self.client = client
        self.channel = channel
        self.timing = timing
        self.logger = logger
    }

    /// Listens until cancelled: calls `listening` each time `LISTEN` is in force and `received`
    /// with each notification's payload, one at a time and in order.
    public func run(
        listening: @escaping @Sendable () async throws -> Void,
        received: @escaping @Sendable (String) async -> Void
    ) async {
        while !Task.isCancelled {
            do {
                try await listenOnce(listening: listening, received: received)
            } catch {
                if Task.isCancelled { return }
                logger.warning(
                    "listener lost its connection; listening again",
                    metadata: [
                        "channel": "\(channel)", "error": "\(String(reflecting: error))",
                    ])
            }
            try? await Task.sleep(for: timing.reconnectDelay)
        }
    }

    /// The listener stopped without an error from the server.
    struct Ended: Error, CustomStringConvertible {
        var description: String { "the notification stream ended" }
    }

    /// One connection's session: returns only when cancelled, throws when the connection fails.
    private func listenOnce(
        listening: @escaping @Sendable () async throws -> Void,
        received: @escaping @Sendable (String) async -> Void
    ) async throws {
        let session = ListenSession()
        let (client, channel) = (self.client, self.channel)
        // Unstructured: postgres-nio can lose a call for ever, and this must not wait for it
        // (docs/upstream/postgres-nio.md#query-after-close).
        let task = Task {
            do {
                try await client.withConnection { connection in
                    try session.lease.attach(connection)
                    try await connection.listen(on: channel) { notifications in
                        session.report(.listening(connection))
                        for try await notification in notifications { await received(notification.payload) }
                    }
                }
                session.report(.ended(Ended()))
            } catch {
                session.report(.ended(error))
            }
        }
        defer {
            task.cancel()
            session.lease.abandon()
        }
        switch await session.next(within: timing.timeout) {
        case .listening(let connection)?:
            try await listening()
            try await watch(connection, session: session)
        case .ended(let error)?:
            throw error
        case nil:
            try Task.checkCancellation()
            throw DatabaseTimedOut(timeout: timing.timeout)
        }
    }

    /// Waits for the session to end, checking that its connection answers whenever it was
    /// quiet for a check interval.
    private func watch(_ connection: PostgresConnection, session: ListenSession) async throws {
        while true {
            switch await session.next(within: timing.checkInterval) {
            case .ended(let error)?:
                throw error
            case .listening?:
                continue
            case nil:
                try Task.checkCancellation()
                _ = try await Deadline.run(timeout: timing.timeout, abandon: { session.lease.abandon() }) { [logger] in
                    try await connection.query("SELECT 1", logger: logger)
                }
            }
        }
    }
}
