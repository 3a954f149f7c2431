import Logging
import OutpostStore
import PostgresNIO

/// A writer's PostgreSQL connection and the server process serving it.
struct WriterConnection: Sendable {
    let connection: PostgresConnection
    /// `pg_backend_pid()`: how the connection is ended from the server side.
    let backendPID: Int32
}

/// One PostgreSQL connection, opened on first use and re-opened after it was closed.
///
/// Owned by a single task (the ingest writer loop), which is why it is an actor only to be
/// `Sendable`, never contended.
actor ConnectionHolder {
    private var current: WriterConnection?
    private var nextID = 1

    /// The open connection, connecting first when there is none.
    func connection(to database: DatabaseURL, logger: Logger) async throws -> WriterConnection {
        if let current, !current.connection.isClosed { return current }
        nextID += 1
        let connection = try await PostgresConnection.connect(
            configuration: database.connectionConfiguration(), id: nextID, logger: logger)
        do {
            let rows = try await connection.query("SELECT pg_backend_pid()", logger: logger)
            var backendPID: Int32?
            for try await pid in rows.decode(Int32.self) { backendPID = pid }
            let writer = WriterConnection(connection: connection, backendPID: backendPID ?? 0)
            current = writer
            return writer
        } catch {
            Self.closeInBackground(connection)
            throw error
        }
    }

    /// Forgets the connection without closing it (someone else will); the next use opens a new one.
    func abandon() {
        current = nil
    }

    /// Closes the connection, if any, without waiting for it; the next use opens a new one.
    func close() {
        if let connection = current?.connection { Self.closeInBackground(connection) }
        current = nil
    }

    /// Closing a connection whose server vanished can wait a long time; the writer that let
    /// go of it must not.
    private static func closeInBackground(_ connection: PostgresConnection) {
        Task { try? await connection.close() }
    }
}
