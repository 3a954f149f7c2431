import PostgresNIO

extension PostgresClient {
    /// The time limit of one ordinary database call (a few statements), waiting for a pooled
    /// connection included: far above a healthy call, short enough for an operator to notice.
    public static let callTimeout: Duration = .seconds(10)

    /// Runs `work` on a pooled connection, giving up after `timeout` (waiting for the connection
    /// included) with ``DatabaseTimedOut``.
    ///
    /// Unlike `withConnection(_:)`, this never waits for ever on a connection lost mid-query or a
    /// server that stopped answering (see ``Deadline``): at the deadline, or when the caller is
    /// cancelled, the connection is closed, which fails the work's statement (a transaction in
    /// progress rolls back) and makes the pool replace the connection. Not for `copyFrom`:
    /// postgres-nio 1.33 stops the process when a connection is closed during a COPY
    /// (`docs/upstream/postgres-nio.md#copy-client-close`; a lost call: `#query-after-close`).
    public func withConnection<Result: Sendable>(
        timeout: Duration, _ work: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let lease = ConnectionLease()
        return try await Deadline.run(timeout: timeout, abandon: { lease.abandon() }) {
            try await self.withConnection { connection in
                try lease.attach(connection)
                return try await work(connection)
            }
        }
    }
}
