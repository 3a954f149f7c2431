import PostgresNIO

extension TestDatabase {
    /// Polls `sql` (one integer) on a connection of its own until `condition` holds or `limit`
    /// passes; returns the last value.
    public func eventually(
        _ sql: String, within limit: Duration = .seconds(30), until condition: (Int) -> Bool
    ) async throws -> Int {
        try await polling(within: limit, { try await $0.integer(sql) }, until: condition)
    }

    /// Polls `sql` (one integer) until it returns `expected` or `limit` passes; returns the last value.
    public func eventually(_ sql: String, equals expected: Int, within limit: Duration = .seconds(30)) async throws
        -> Int
    {
        try await eventually(sql, within: limit, until: { $0 == expected })
    }

    /// Polls `sql` until its first row (as text, "-" when there is none) is `expected` or
    /// `limit` passes; returns the last value.
    public func eventually(_ sql: String, equals expected: String, within limit: Duration = .seconds(30)) async throws
        -> String
    {
        try await polling(within: limit, { try await $0.strings(sql).first ?? "-" }, until: { $0 == expected })
    }

    private func polling<Value>(
        within limit: Duration, _ read: (PostgresConnection) async throws -> Value, until condition: (Value) -> Bool
    ) async throws -> Value {
        let connection = try await connect()
        do {
            let value = try await OutpostTestSupport.eventually(
                within: limit, { try await read(connection) }, until: condition)
            try await connection.close()
            return value
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
