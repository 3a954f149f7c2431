import Logging
import OutpostStore
import PostgresNIO
import Synchronization

/// A group commit attempt (opening its connection when it has none, then writing) raced
/// against a deadline, and the safe way out when the deadline wins.
///
/// The attempt runs in an unstructured task: postgres-nio 1.33 can leave a call suspended for
/// ever when the server goes away at the wrong moment (a `copyFrom` waiting for backpressure;
/// seen in CI as well for opening a connection across a server crash), and a task group would
/// wait for that child on exit. Opening is inside the deadline for that reason: a writer must
/// never wait on anything without one.
///
/// When the deadline wins, the caller gets ``TimedOut`` at once and must not use the
/// connection again. Behind it the attempt is cancelled and its server process terminated
/// (`pg_terminate_backend` over a connection of its own), which rolls back the transaction
/// and releases its locks; the connection is closed on the client side only after the write
/// ended. Closing it while the write may still be in a COPY is what must not happen:
/// postgres-nio 1.33 stops the whole process with a precondition failure when a connection
/// is closed by its client during `copyingData`, which a write slowed by CPU or a blocked
/// server reaches at any moment. A connection ended by its server is an error postgres-nio
/// handles in every state.
enum CommitDeadline {
    /// Error of a commit attempt that outlived its deadline.
    struct TimedOut: Error {}

    /// Writes `batches` with `writer` on `connection` (on a new connection when it is `nil`
    /// or closed), giving up after `timeout`; returns the outcome and the connection to reuse.
    /// After an error the connection is closed (in the background).
    static func write(
        _ batches: [IngestBatch], with writer: IngestWriter, reusing connection: WriterConnection?,
        timeout: Duration, database: DatabaseURL, logger: Logger
    ) async throws -> (IngestOutcome, WriterConnection) {
        try await withCheckedThrowingContinuation { continuation in
            let race = Race()
            let resumeOnce: @Sendable (Result<(IngestOutcome, WriterConnection), any Error>) -> Bool = { result in
                let first = race.decide()
                if first { continuation.resume(with: result) }
                return first
            }
            let attempt = Task {
                do {
                    let used: WriterConnection
                    if let connection, !connection.connection.isClosed {
                        used = connection
                    } else {
                        used = try await WriterConnection.open(to: database, id: nextConnectionID(), logger: logger)
                    }
                    // Opened after the deadline: the caller has moved on, the deadline closes it.
                    guard race.attach(used) else { return }
                    do {
                        _ = resumeOnce(.success((try await writer.write(batches, on: used.connection), used)))
                    } catch {
                        if resumeOnce(.failure(error)) { used.closeInBackground() }
                    }
                } catch {
                    _ = resumeOnce(.failure(error))
                }
            }
            Task {
                try? await Task.sleep(for: timeout)
                guard resumeOnce(.failure(TimedOut())) else { return }
                attempt.cancel()
                if let pid = race.connection?.backendPID {
                    await terminate(pid, of: database, logger: logger)
                }
                // Ends with the connection the server closed, or never when postgres-nio lost
                // the call (its channel is closed then; the task is all that remains).
                await attempt.value
                try? await race.connection?.connection.close()
            }
        }
    }

    /// What an attempt and its deadline share: who finished first, and the attempt's connection.
    private final class Race: Sendable {
        private struct State {
            var decided = false
            var connection: WriterConnection?
        }

        private let state = Mutex(State())

        /// Whether this caller is the first to finish (the outcome the caller of `write` gets).
        func decide() -> Bool {
            state.withLock { state in
                defer { state.decided = true }
                return !state.decided
            }
        }

        /// Records the attempt's connection; false when the deadline has passed already.
        func attach(_ connection: WriterConnection) -> Bool {
            state.withLock { state in
                state.connection = connection
                return !state.decided
            }
        }

        /// The attempt's connection, once it has one.
        var connection: WriterConnection? { state.withLock { $0.connection } }
    }

    private static let connectionIDs = Atomic<Int>(0)

    /// A number naming a writer connection in postgres-nio's logs.
    private static func nextConnectionID() -> Int {
        connectionIDs.add(1, ordering: .relaxed).newValue
    }

    /// Ends server process `pid`; a server that cannot be reached has ended it already.
    private static func terminate(_ pid: Int32, of database: DatabaseURL, logger: Logger) async {
        do {
            let connection = try await PostgresConnection.connect(
                configuration: database.connectionConfiguration(), id: 0, logger: logger)
            do {
                try await connection.query("SELECT pg_terminate_backend(\(pid))", logger: logger)
            } catch {
                try? await connection.close()
                throw error
            }
            try await connection.close()
        } catch {
            logger.warning("could not end the server process of a timed-out commit", metadata: [
                "backend_pid": "\(pid)", "error": "\(String(reflecting: error))",
            ])
        }
    }
}
