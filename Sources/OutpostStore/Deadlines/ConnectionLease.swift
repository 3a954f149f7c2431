import PostgresNIO
import Synchronization

/// The connection a piece of work uses, so that work past its deadline can be abandoned by
/// closing it (postgres-nio fails the statements in flight on a closed connection:
/// `docs/upstream/postgres-nio.md#closing-fails-in-flight`).
public final class ConnectionLease: Sendable {
    private struct State {
        var connection: PostgresConnection?
        var abandoned = false
    }

    private let state = Mutex(State())

    /// A lease with no connection yet.
    public init() {}

    /// Records `connection`; throws `CancellationError` when the work was abandoned already.
    public func attach(_ connection: PostgresConnection) throws {
        let abandoned = state.withLock { state in
            state.connection = connection
            return state.abandoned
        }
        if abandoned { throw CancellationError() }
    }

    /// Closes the connection, now or as soon as it is attached. Closing does not wait for the
    /// server (the channel is closed), so a frozen server cannot hold it up.
    public func abandon() {
        let connection = state.withLock { state in
            state.abandoned = true
            return state.connection
        }
        if let connection { connection.close().whenComplete { _ in } }
    }
}
