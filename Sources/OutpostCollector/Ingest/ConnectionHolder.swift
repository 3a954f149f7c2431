import Logging
import OutpostStore
import PostgresNIO

/// One PostgreSQL connection, opened on first use and re-opened after it was closed.
///
/// Owned by a single task (the ingest writer loop), which is why it is an actor only to be
/// `Sendable`, never contended.
actor ConnectionHolder {
    private var current: PostgresConnection?
    private var nextID = 1

    /// The open connection, connecting first when there is none.
    func connection(to database: DatabaseURL, logger: Logger) async throws -> PostgresConnection {
        if let current, !current.isClosed { return current }
        nextID += 1
        let connection = try await PostgresConnection.connect(
            configuration: database.connectionConfiguration(), id: nextID, logger: logger)
        current = connection
        return connection
    }

    /// Closes the connection, if any; the next use opens a new one.
    func close() async {
        let connection = current
        current = nil
        try? await connection?.close()
    }
}
