import PostgresNIO

/// Sends the data of a `connection.copyFrom` without tripping postgres-nio 1.33.2.
///
/// When the `writeData` closure of `copyFrom` ends, postgres-nio sends CopyDone or CopyFail,
/// and stops the whole process with a precondition failure ("Copy mode is only supported for
/// extended queries") when the connection was lost meanwhile (reproduced for a closure that
/// throws; the same check guards the return path). A
/// server crash, a `pg_terminate_backend` or a network error in the middle of a COPY would
/// take the collector down with it. So once the connection is lost, or about to be (the server
/// reported a FATAL error), the closure never ends: its task stays suspended with its rows, and
/// the caller's deadline moves on without it. Errors that leave the connection usable (a row
/// the server refused, a cancellation while connected) are thrown as usual. Reproductions:
/// `docs/upstream/postgres-nio.md#copy-server-lost-crash` and `#copy-client-close`.
struct CopyDataSender {
    let writer: PostgresCopyFromWriter
    let connection: PostgresConnection

    /// Sends `buffer` (whole rows); suspends for ever once the connection is lost.
    func send(_ buffer: ByteBuffer) async throws {
        do {
            try await writer.write(buffer)
        } catch {
            guard connectionSurvives(error) else { await Self.suspendForever() }
            throw error
        }
    }

    /// The closure's last step: suspends for ever when the connection was lost after the last send.
    func finish() async {
        if connection.isClosed { await Self.suspendForever() }
    }

    private func connectionSurvives(_ error: any Error) -> Bool {
        if connection.isClosed { return false }
        let severity = (error as? PSQLError)?.serverInfo?[.severity]
        return severity != "FATAL" && severity != "PANIC"
    }

    private static func suspendForever() async -> Never {
        while true {
            await withUnsafeContinuation { (_: UnsafeContinuation<Void, Never>) in }
        }
    }
}
