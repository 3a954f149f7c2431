import Logging
import OutpostStore
import PostgresNIO

/// A writer's PostgreSQL connection and the server process serving it.
struct WriterConnection: Sendable {
    let connection: PostgresConnection
    /// `pg_backend_pid()`: how the connection is ended from the server side.
    let backendPID: Int32

    /// Opens a connection to `database` and reads its server process id.
    static func open(to database: DatabaseURL, id: Int, logger: Logger) async throws -> WriterConnection {
        let connection = try await PostgresConnection.connect(
            configuration: database.connectionConfiguration(), id: id, logger: logger)
        do {
            let rows = try await connection.query("SELECT pg_backend_pid()", logger: logger)
            var backendPID: Int32?
            for try await pid in rows.decode(Int32.self) { backendPID = pid }
            return WriterConnection(connection: connection, backendPID: backendPID ?? 0)
        } catch {
            closeInBackground(connection)
            throw error
        }
    }

    /// Closes the connection without waiting: closing one whose server vanished can wait a
    /// long time, and the writer that let go of it must not.
    func closeInBackground() {
        Self.closeInBackground(connection)
    }

    private static func closeInBackground(_ connection: PostgresConnection) {
        Task { try? await connection.close() }
    }
}
