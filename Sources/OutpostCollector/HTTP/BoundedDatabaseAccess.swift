import PostgresNIO

/// Runs read-only work on a pooled connection with a deadline: an HTTP request must get an
/// answer while PostgreSQL is down or hanging, not wait for the pool to reconnect.
struct BoundedDatabaseAccess: Sendable {
    /// The work did not finish within the deadline.
    struct TimedOut: Error, CustomStringConvertible {
        let timeout: Duration
        var description: String { "PostgreSQL did not answer within \(timeout)" }
    }

    let client: PostgresClient

    /// The result of `work`, or ``TimedOut`` after `timeout` (the work is cancelled).
    func run<Result: Sendable>(
        timeout: Duration, _ work: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let client = self.client
        return try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask { try await client.withConnection(work) }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let result = first else { throw TimedOut(timeout: timeout) }
            return result
        }
    }
}
