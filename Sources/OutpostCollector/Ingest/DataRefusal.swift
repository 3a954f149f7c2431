import PostgresNIO

/// PostgreSQL refused a write for the data itself: SQLSTATE class 22 (data exception: a value
/// too long, out of range, badly encoded) or 23 (integrity constraint violation: a CHECK, NOT
/// NULL or foreign key). Writing the same rows again fails the same way, so ingest does not
/// retry them; a connection or server error (any other class) is retried.
struct DataRefusal: CustomStringConvertible {
    /// The five-character SQLSTATE.
    let sqlState: String
    /// PostgreSQL's message (which names the column or constraint, never a value).
    let message: String
    /// PostgreSQL's detail, which may quote the refused row: for the operator, not the agent.
    let detail: String?

    /// The refusal `error` carries, or `nil` when it is of another kind (a transaction whose
    /// rollback failed too is a connection problem: `IngestWriter` throws the statement's own
    /// error only when the rollback went through).
    init?(_ error: any Error) {
        guard let error = error as? PSQLError, let state = error.serverInfo?[.sqlState],
            state.hasPrefix("22") || state.hasPrefix("23")
        else { return nil }
        sqlState = state
        message = error.serverInfo?[.message] ?? "refused"
        detail = error.serverInfo?[.detail]
    }

    /// SQLSTATE and message: what the agent is told.
    var description: String { "SQLSTATE \(sqlState): \(message)" }

    /// Message and detail: what the quarantine keeps.
    var fullMessage: String { detail.map { "\(message) (\($0))" } ?? message }
}
