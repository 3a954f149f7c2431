import Logging
import OutpostStore
import PostgresNIO
import Synchronization

/// A group commit raced against a deadline, and the safe way out when the deadline wins.
///
/// The write runs in an unstructured task: postgres-nio 1.33's `copyFrom` can stay suspended
/// for ever when the server dies mid-COPY, and a task group would wait for that child on exit.
///
/// When the deadline wins, the caller gets ``TimedOut`` at once and must not use the
/// connection again. Behind it the write is cancelled and its server process terminated
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

    /// Writes `batches` on `target` with `writer`, giving up after `timeout`.
    static func write(
        _ batches: [IngestBatch], with writer: IngestWriter, on target: WriterConnection,
        timeout: Duration, database: DatabaseURL, logger: Logger
    ) async throws -> IngestOutcome {
        try await withCheckedThrowingContinuation { continuation in
            let resumed = Mutex(false)
            let resumeOnce: @Sendable (Result<IngestOutcome, any Error>) -> Bool = { result in
                let first = resumed.withLock { done in
                    defer { done = true }
                    return !done
                }
                if first { continuation.resume(with: result) }
                return first
            }
            let write = Task {
                do {
                    _ = resumeOnce(.success(try await writer.write(batches, on: target.connection)))
                } catch {
                    _ = resumeOnce(.failure(error))
                }
            }
            Task {
                try? await Task.sleep(for: timeout)
                guard resumeOnce(.failure(TimedOut())) else { return }
                write.cancel()
                await terminate(target.backendPID, of: database, logger: logger)
                // Ends with the connection the server closed, or never when postgres-nio lost
                // the COPY (the channel is closed then; the task is all that remains).
                await write.value
                try? await target.connection.close()
            }
        }
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
