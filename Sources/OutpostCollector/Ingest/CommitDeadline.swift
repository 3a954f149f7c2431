import Logging
import OutpostStore
import PostgresNIO
import Synchronization

/// A group commit attempt (opening its connection when it has none, then writing) raced
/// against a deadline, and the safe way out when the deadline wins.
///
/// The attempt runs in an unstructured task: postgres-nio 1.33 can leave a call suspended for
/// ever when the server goes away at the wrong moment (a query or `copyFrom` sent on a channel
/// that just closed; seen in CI when opening a connection across a server crash), and a task
/// group would wait for that child on exit. Opening is inside the deadline for that reason: a
/// writer never waits on anything without one.
///
/// When the deadline wins, the caller gets ``TimedOut`` at once and must not use the
/// connection again. Behind it, the attempt's statement is cancelled on the server
/// (`pg_cancel_backend`, over a connection of its own): the COPY fails with an error, the
/// transaction rolls back and releases its locks, and the connection stays in a state
/// postgres-nio handles. When the attempt has not ended ``terminationGrace`` later (its server
/// process was waiting for the client, or postgres-nio lost the call), the server process is
/// terminated. The client never cancels the task and never closes the connection before the
/// write returned: postgres-nio 1.33 stops the whole process with a precondition failure
/// when a connection is closed by its client during a COPY, and when a cancelled `copyFrom`
/// sends CopyFail after its query ended. Reproductions in `docs/upstream/postgres-nio.md`: `#copy-client-close`,
/// `#copy-cancel`, `#copy-server-lost-hang`, `#query-after-close`.
enum CommitDeadline {
    /// Error of a commit attempt that outlived its deadline.
    struct TimedOut: Error {}

    /// How long a timed-out attempt has to end after its statement was cancelled, before its
    /// server process is terminated.
    static let terminationGrace = Duration.seconds(5)

    /// Writes `batches` with `writer` on `connection` (on a new connection when it is `nil`
    /// or closed), giving up after `timeout`; returns the outcome and the connection to reuse.
    /// After an error the connection is closed (in the background).
    static func write(
        _ batches: [IngestBatch], with writer: IngestWriter, reusing connection: WriterConnection?,
        timeout: Duration, database: DatabaseURL, logger: Logger
    ) async throws -> (IngestOutcome, WriterConnection) {
        try await run(reusing: connection, timeout: timeout, database: database, logger: logger) { connection in
            try await writer.write(batches, on: connection)
        }
    }

    /// Runs `operation` on `connection` (on a new connection when it is `nil` or closed) under
    /// the same deadline and way out as ``write(_:with:reusing:timeout:database:logger:)``.
    static func run<Value: Sendable>(
        reusing connection: WriterConnection?, timeout: Duration, database: DatabaseURL, logger: Logger,
        _ operation: @escaping @Sendable (PostgresConnection) async throws -> Value
    ) async throws -> (Value, WriterConnection) {
        try await withCheckedThrowingContinuation { continuation in
            let race = Race()
            let resumeOnce: @Sendable (Result<(Value, WriterConnection), any Error>) -> Bool = { result in
                let first = race.decide()
                if first { continuation.resume(with: result) }
                return first
            }
            let attempt = Task {
                defer { race.end() }
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
                        if resumeOnce(.success((try await operation(used.connection), used))) { race.disarm() }
                    } catch {
                        if resumeOnce(.failure(error)) {
                            race.disarm()
                            used.closeInBackground()
                        }
                    }
                } catch {
                    if resumeOnce(.failure(error)) { race.disarm() }
                }
            }
            let timer = Task {
                try? await Task.sleep(for: timeout)
                guard resumeOnce(.failure(TimedOut())) else { return }
                if let pid = race.connection?.backendPID {
                    await signal("pg_cancel_backend", pid, of: database, logger: logger)
                    if await !race.ends(within: terminationGrace) {
                        await signal("pg_terminate_backend", pid, of: database, logger: logger)
                    }
                }
                // Ends with the error of the cancelled statement or of the connection the server
                // closed, or never when postgres-nio lost the call (its channel is closed then).
                await attempt.value
                try? await race.connection?.connection.close()
            }
            race.arm(timer)
        }
    }

    private static let connectionIDs = Atomic<Int>(0)

    /// A number naming a writer connection in postgres-nio's logs.
    private static func nextConnectionID() -> Int {
        connectionIDs.add(1, ordering: .relaxed).newValue
    }

    /// Calls `function` (`pg_cancel_backend` or `pg_terminate_backend`) on server process
    /// `pid`; a server that cannot be reached has ended the process already.
    private static func signal(_ function: String, _ pid: Int32, of database: DatabaseURL, logger: Logger) async {
        do {
            let connection = try await PostgresConnection.connect(
                configuration: database.connectionConfiguration(), id: 0, logger: logger)
            do {
                try await connection.query(PostgresQuery(unsafeSQL: "SELECT \(function)(\(pid))"), logger: logger)
            } catch {
                try? await connection.close()
                throw error
            }
            try await connection.close()
        } catch {
            logger.warning(
                "could not signal the server process of a timed-out commit",
                metadata: [
                    "backend_pid": "\(pid)", "function": "\(function)", "error": "\(String(reflecting: error))",
                ])
        }
    }

    /// What an attempt and its deadline share: who finished first, the attempt's connection,
    /// whether the attempt's task has ended, and the deadline's timer, cancelled when the
    /// attempt finishes first (else every commit would leave a task asleep for the timeout).
    private final class Race: Sendable {
        private struct State {
            var decided = false
            var connection: WriterConnection?
            var ended = false
            var endWaiter: CheckedContinuation<Bool, Never>?
            var timer: Task<Void, Never>?
            var disarmed = false
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

        /// Keeps the deadline's timer, or cancels it at once when the attempt finished first.
        func arm(_ timer: Task<Void, Never>) {
            let cancel = state.withLock { state in
                state.timer = timer
                return state.disarmed
            }
            if cancel { timer.cancel() }
        }

        /// Cancels the deadline's timer: the attempt finished first. Call only then, never after
        /// the deadline won (its timer is the task that cancels the statement).
        func disarm() {
            let timer = state.withLock { state in
                state.disarmed = true
                defer { state.timer = nil }
                return state.timer
            }
            timer?.cancel()
        }

        /// The attempt's connection, once it has one.
        var connection: WriterConnection? { state.withLock { $0.connection } }

        /// Called when the attempt's task ends.
        func end() {
            let waiter = state.withLock { state in
                state.ended = true
                defer { state.endWaiter = nil }
                return state.endWaiter
            }
            waiter?.resume(returning: true)
        }

        /// Whether the attempt's task ends within `timeout` (one waiter at a time).
        func ends(within timeout: Duration) async -> Bool {
            await withCheckedContinuation { waiter in
                let ended = state.withLock { state in
                    if !state.ended { state.endWaiter = waiter }
                    return state.ended
                }
                if ended { return waiter.resume(returning: true) }
                Task {
                    try? await Task.sleep(for: timeout)
                    let late = state.withLock { state in
                        defer { state.endWaiter = nil }
                        return state.endWaiter
                    }
                    late?.resume(returning: false)
                }
            }
        }
    }
}
