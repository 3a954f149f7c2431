import Foundation
import Logging
import OutpostStore
import PostgresNIO
import Testing

/// A fresh, empty database on the test cluster started by `scripts/test`, dropped afterwards.
public struct TestDatabase: Sendable {
    public let url: DatabaseURL
    public let name: String

    public static let logger = Logger(label: "outpost.test.store")

    /// The cluster's maintenance URL, from `OUTPOST_TEST_DATABASE_URL`.
    public static func serverURL() throws -> DatabaseURL {
        guard let text = ProcessInfo.processInfo.environment["OUTPOST_TEST_DATABASE_URL"] else {
            throw TestEnvironmentError("OUTPOST_TEST_DATABASE_URL is not set: the suite lacks the .needsPostgres trait")
        }
        return try DatabaseURL(text)
    }

    /// Runs `body` with a connection to a new empty database, then drops it.
    public static func withEmpty<T>(
        server: DatabaseURL? = nil, _ body: (PostgresConnection, TestDatabase) async throws -> T
    ) async throws -> T {
        try await with(server: server, template: nil, body)
    }

    /// Runs `body` with a connection to a new database copied from `template` (empty without
    /// one), then drops it.
    private static func with<T>(
        server: DatabaseURL?, template: String?, _ body: (PostgresConnection, TestDatabase) async throws -> T
    ) async throws -> T {
        let server = try server ?? serverURL()
        let name = "outpost_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try await administer(server, "CREATE DATABASE \(name)" + (template.map { " TEMPLATE \($0)" } ?? ""))
        let database = TestDatabase(url: try server.with(database: name), name: name)
        let connection = try await database.connect()
        let result: T
        do {
            result = try await body(connection, database)
        } catch {
            // PSQLError hides the server's message from `description`; show it in the test log.
            Issue.record("database error: \(String(reflecting: error))")
            try? await connection.close()
            try? await administer(server, "DROP DATABASE \(name) WITH (FORCE)")
            throw error
        }
        try? await connection.close()  // may already be gone when the test crashed the server
        try await administer(server, "DROP DATABASE \(name) WITH (FORCE)")
        return result
    }

    /// Runs one statement on the server's maintenance database, on a connection of its own
    /// (a test may have restarted the server since the database was created).
    private static func administer(_ server: DatabaseURL, _ sql: String) async throws {
        let admin = try await PostgresConnection.connect(
            configuration: server.connectionConfiguration(), id: 1, logger: logger)
        do {
            try await admin.query(PostgresQuery(unsafeSQL: sql), logger: logger)
            try await admin.close()
        } catch {
            try? await admin.close()
            throw error
        }
    }

    /// Runs `body` with a connection to a new database migrated to the latest schema: a copy
    /// of the server's ``TemplateDatabase``, migrated once per test process.
    public static func withMigrated<T>(
        server: DatabaseURL? = nil, _ body: (PostgresConnection, TestDatabase) async throws -> T
    ) async throws -> T {
        let server = try server ?? serverURL()
        try await TemplateDatabase.prepare(on: server)
        return try await with(server: server, template: TemplateDatabase.name, body)
    }

    /// Another connection to the same database.
    public func connect() async throws -> PostgresConnection {
        try await PostgresConnection.connect(
            configuration: url.connectionConfiguration(), id: Int.random(in: 2...1_000_000), logger: Self.logger)
    }
}

extension PostgresConnection {
    /// The rows of a query as text, for compact assertions.
    public func strings(_ sql: String) async throws -> [String] {
        let rows = try await query(PostgresQuery(unsafeSQL: sql), logger: TestDatabase.logger)
        var result: [String] = []
        for try await value in rows.decode(String.self) { result.append(value) }
        return result
    }

    /// Runs `sql`, a statement whose rows (if any) are not needed.
    public func execute(_ sql: String) async throws {
        try await query(PostgresQuery(unsafeSQL: sql), logger: TestDatabase.logger)
    }

    /// A single integer result.
    public func integer(_ sql: String) async throws -> Int {
        let rows = try await query(PostgresQuery(unsafeSQL: sql), logger: TestDatabase.logger)
        for try await value in rows.decode(Int.self) { return value }
        throw TestEnvironmentError("query returned no row: \(sql)")
    }

    /// Runs a statement expected to fail; returns the SQLSTATE it failed with.
    public func sqlState(of sql: String) async -> String? {
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
