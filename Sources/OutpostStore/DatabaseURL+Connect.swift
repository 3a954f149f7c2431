import Logging
import PostgresNIO

extension DatabaseURL {
    /// Opens one connection. A failure to reach, trust or log in to the server is thrown as a
    /// ``DatabaseConnectionError`` that says what went wrong (postgres-nio's own errors
    /// describe themselves only as "PSQLError": `docs/upstream/postgres-nio.md#psqlerror-description`).
    public func connect(id: Int, logger: Logger) async throws -> PostgresConnection {
        let configuration = try connectionConfiguration()
        do {
            return try await PostgresConnection.connect(configuration: configuration, id: id, logger: logger)
        } catch {
            throw DatabaseConnectionError(url: self, error: error)
        }
    }
}
