import Foundation
import OutpostCollector
import OutpostStore
import OutpostTestSupport
import PostgresNIO

/// Operators for tests of the management API: users of each role (bcrypt at its lowest cost, so
/// logins are quick) with an API token each.
enum OperatorAccounts {
    /// A user made for a test.
    struct Account: Sendable {
        let username: String
        let password: String
        let token: String
    }

    /// Every test password (long enough for the rules).
    static let password = "correct horse battery staple"

    /// Adds user `username` with `role` and `regions`, and an API token for them.
    static func add(
        _ username: String, role: OperatorRole, regions: [String] = [], on db: PostgresConnection
    ) async throws -> Account {
        let hash = try await PasswordHasher(cost: 4).hash(password)
        let actor = AuditActor(name: "test", source: "test")
        _ = try await UserDirectory(logger: TestDatabase.logger).add(
            username: username, role: role, regions: regions, email: nil, passwordHash: hash, by: actor, on: db)
        let token = OperatorSecret.make(prefix: "opt_")
        _ = try await APITokenStore(logger: TestDatabase.logger).create(
            username: username, name: "test", secretHash: OperatorSecret.digest(token), expiresAt: nil, by: actor,
            on: db)
        return Account(username: username, password: password, token: token)
    }

    /// `http` acting as a new admin.
    static func admin(_ http: HTTPTestClient, on db: PostgresConnection) async throws -> HTTPTestClient {
        http.with(token: try await add("admin", role: .admin, on: db).token)
    }
}
