import OutpostStore
import PostgresNIO

/// Runs read-only work on a pooled connection with a deadline: an HTTP request must get an
/// answer while PostgreSQL is down or hanging, not wait for the pool to reconnect.
struct BoundedDatabaseAccess: Sendable {
    /// The work did not finish within the deadline.
    typealias TimedOut = DatabaseTimedOut

    let client: PostgresClient

    /// The result of `work`, or ``TimedOut`` after `timeout` (the work is abandoned, see
    /// `PostgresClient.withConnection(timeout:_:)`).
    func run<Result: Sendable>(
        timeout: Duration, _ work: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await client.withConnection(timeout: timeout, work)
    }
}
