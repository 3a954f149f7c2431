import Logging
import PostgresNIO

extension PostgresConnection {
    /// Runs `body` in a transaction, rolled back when it throws; the body's own error is
    /// rethrown as it is (not wrapped in `PostgresTransactionError`) so callers see e.g. a
    /// validation error unchanged.
    func transaction<Result>(logger: Logger, _ body: (PostgresConnection) async throws -> sending Result) async throws
        -> sending Result
    {
        do {
            return try await withTransaction(logger: logger, body)
        } catch let error as PostgresTransactionError {
            if let closureError = error.closureError, error.rollbackError == nil { throw closureError }
            throw error
        }
    }
}
