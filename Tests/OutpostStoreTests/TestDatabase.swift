import Foundation
import Logging
import OutpostStore
import PostgresNIO
import Testing

/// A fresh, empty database on the test cluster started by `scripts/test`, dropped afterwards.
struct TestDatabase {
    let url: DatabaseURL
    let name: String

    static let logger = Logger(label: "outpost.test.store")

    /// The cluster's maintenance URL, from `OUTPOST_TEST_DATABASE_URL`.
    static func serverURL() throws -> DatabaseURL {
        guard let text = ProcessInfo.processInfo.environment["OUTPOST_TEST_DATABASE_URL"] else {
            Issue.record("OUTPOST_TEST_DATABASE_URL is not set: run the tests with scripts/test")
            throw CancellationError()
        }
        return try DatabaseURL(text)
    }

    /// Runs `body` with a connection to a new empty database, then drops it.
    static func withEmpty<T>(_ body: (PostgresConnection, TestDatabase) async throws -> T) async throws -> T {
        let server = try serverURL()
        let name = "outpost_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let admin = try await PostgresConnection.connect(configuration: server.connectionConfiguration(), id: 1, logger: logger)
        try await admin.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        let database = TestDatabase(url: try server.with(database: name), name: name)
        let connection = try await database.connect()
        do {
            let result = try await body(connection, database)
            try await connection.close()
            try await admin.query(PostgresQuery(unsafeSQL: "DROP DATABASE \(name) WITH (FORCE)"), logger: logger)
            try await admin.close()
            return result
        } catch {
            // PSQLError hides the server's message from `description`; show it in the test log.
            Issue.record("database error: \(String(reflecting: error))")
            try? await connection.close()
            _ = try? await admin.query(PostgresQuery(unsafeSQL: "DROP DATABASE \(name) WITH (FORCE)"), logger: logger)
            try? await admin.close()
            throw error
        }
    }

    /// Runs `body` with a connection to a new database migrated to the latest schema.
    static func withMigrated<T>(_ body: (PostgresConnection, TestDatabase) async throws -> T) async throws -> T {
        try await withEmpty { connection, database in
            try await MigrationRunner(logger: logger).migrate(on: connection)
            return try await body(connection, database)
        }
    }

    /// Another connection to the same database.
    func connect() async throws -> PostgresConnection {
        try await PostgresConnection.connect(configuration: url.connectionConfiguration(), id: Int.random(in: 2...1_000_000), logger: Self.logger)
    }
}

extension PostgresConnection {
    /// The rows of a query as text, for compact assertions.
    func strings(_ sql: String) async throws -> [String] {
        let rows = try await query(PostgresQuery(unsafeSQL: sql), logger: TestDatabase.logger)
        var result: [String] = []
        for try await value in rows.decode(String.self) { result.append(value) }
        return result
    }

    /// A single integer result.
    func integer(_ sql: String) async throws -> Int {
        let rows = try await query(PostgresQuery(unsafeSQL: sql), logger: TestDatabase.logger)
        for try await value in rows.decode(Int.self) { return value }
        throw PostgresDecodingError.Code.missingData
    }

    /// Runs a statement expected to fail; returns the SQLSTATE it failed with.
    func sqlState(of sql: String) async -> String? {
        do {
            try await query(PostgresQuery(unsafeSQL: sql), logger: TestDatabase.logger)
            return nil
        } catch let error as PSQLError {
            return error.serverInfo?[.sqlState]
        } catch {
            return "\(error)"
        }
    }
}
