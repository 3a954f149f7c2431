import Foundation
import Logging
import PostgresNIO

/// The `users` table for operators: add, change password, role and regions, disable, list, and
/// what a login needs. Only password hashes are stored or read; every change is audited.
public struct UserDirectory: Sendable {
    /// Longest username (`users.username` is VARCHAR(50)).
    public static let maximumUsernameLength = 50

    private let logger: Logger
    private var audit: AuditLog { AuditLog(logger: logger) }

    /// Creates a directory logging to `logger`.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// Checks a username: 1 to 50 letters, digits, `.`, `_` or `-`.
    public static func validate(username: String) throws {
        let allowed = username.unicodeScalars.allSatisfy {
            ($0.isASCII && CharacterSet.alphanumerics.contains($0)) || $0 == "." || $0 == "_" || $0 == "-"
        }
        guard !username.isEmpty, username.count <= maximumUsernameLength, allowed else {
            throw InputError(
                field: "username", reason: "1 to \(maximumUsernameLength) letters, digits, '.', '_' or '-'")
        }
    }

    /// Adds a user with a password hash (see `PasswordHasher`), a role and regions.
    public func add(
        username: String, role: OperatorRole, regions: [String], email: String?, fullName: String? = nil,
        passwordHash: String, by actor: AuditActor, on connection: PostgresConnection
    ) async throws -> UserRecord {
        try Self.validate(username: username)
        try Self.validate(email: email)
        try await validate(regions: regions, role: role, on: connection)
        return try await connection.transaction(logger: logger) { connection in
            let taken = try await connection.query(
                "SELECT count(*) FROM users WHERE username = \(username)", logger: logger)
            for try await count in taken.decode(Int.self) where count > 0 {
                throw InputError(field: "username", reason: "\(username) exists")
            }
            let rows = try await connection.query(
                """
                INSERT INTO users (username, email, full_name, hashed_password, role, is_active, password_set_at)
                VALUES (\(username), \(email), \(fullName), \(passwordHash), \(role.rawValue), TRUE, now())
                RETURNING id
                """, logger: logger)
            var id: Int32 = 0
            for try await value in rows.decode(Int32.self) { id = value }
            try await replaceRegions(of: id, with: regions, on: connection)
            try await audit.append(
                .diff(
                    action: "create", entity: "user", entityID: username, before: [:],
                    after: [
                        "role": .text(role.rawValue), "regions": .texts(regions.sorted()), "email": .optional(email),
                        "password": .secret, "active": .bool(true),
                    ]), by: actor, on: connection)
            guard let user = try await user(named: username, on: connection) else {
                throw InputError(field: "username", reason: "vanished while being added")
            }
            return user
        }
    }

    /// Sets a new password hash, resets the failed-login count and ends the user's sessions.
    public func setPassword(
        username: String, passwordHash: String, by actor: AuditActor, on connection: PostgresConnection
    ) async throws {
        try await connection.transaction(logger: logger) { connection in
            let id = try await requireID(username, on: connection)
            try await connection.query(
                """
                UPDATE users SET hashed_password = \(passwordHash), password_set_at = now(), failed_logins = 0
                WHERE id = \(id)
                """, logger: logger)
            try await endSessions(of: id, on: connection)
            try await audit.append(
                AuditEntry(
                    action: "update", entity: "user", entityID: username,
                    changes: ["password": .init(before: .secret, after: .secret)]), by: actor, on: connection)
        }
    }

    /// Enables or disables a user. Disabling ends their sessions at once; their API tokens stop
    /// working while they are disabled.
    public func setActive(
        username: String, _ active: Bool, by actor: AuditActor, on connection: PostgresConnection
    ) async throws -> UserRecord {
        try await connection.transaction(logger: logger) { connection in
            guard let before = try await user(named: username, on: connection) else {
                throw InputError(field: "username", reason: "no user \(username)")
            }
            try await connection.query(
                """
                UPDATE users SET is_active = \(active),
                    disabled_at = CASE WHEN \(active) THEN NULL ELSE now() END,
                    failed_logins = CASE WHEN \(active) THEN 0 ELSE failed_logins END
                WHERE id = \(before.id)
                """, logger: logger)
            if !active { try await endSessions(of: before.id, on: connection) }
            try await audit.append(
                .diff(
                    action: "update", entity: "user", entityID: username, before: ["active": .bool(before.isActive)],
                    after: ["active": .bool(active)]), by: actor, on: connection)
            return try await user(named: username, on: connection) ?? before
        }
    }

    /// Changes a user's role and regions (`nil`: unchanged).
    public func update(
        username: String, role: OperatorRole?, regions: [String]?, email: String??, by actor: AuditActor,
        on connection: PostgresConnection
    ) async throws -> UserRecord {
        try await connection.transaction(logger: logger) { connection in
            guard let before = try await user(named: username, on: connection) else {
                throw InputError(field: "username", reason: "no user \(username)")
            }
            let newRole = role ?? before.role
            let newRegions = regions ?? before.regions
            try await validate(regions: newRegions, role: newRole, on: connection)
            let newEmail = email ?? before.email
            try Self.validate(email: newEmail)
            try await connection.query(
                "UPDATE users SET role = \(newRole.rawValue), email = \(newEmail) WHERE id = \(before.id)",
                logger: logger)
            if regions != nil { try await replaceRegions(of: before.id, with: newRegions, on: connection) }
            if newRole != before.role { try await endSessions(of: before.id, on: connection) }
            try await audit.append(
                .diff(
                    action: "update", entity: "user", entityID: username,
                    before: [
                        "role": .text(before.role.rawValue), "regions": .texts(before.regions.sorted()),
                        "email": .optional(before.email),
                    ],
                    after: [
                        "role": .text(newRole.rawValue), "regions": .texts(newRegions.sorted()),
                        "email": .optional(newEmail),
                    ]), by: actor, on: connection)
            return try await user(named: username, on: connection) ?? before
        }
    }

    /// Every user, by username.
    public func list(on connection: PostgresConnection) async throws -> [UserRecord] {
        try await records(where: "TRUE", on: connection)
    }

    /// The user named `username`, if any.
    public func user(named username: String, on connection: PostgresConnection) async throws -> UserRecord? {
        try await records(where: "u.username = $1", binding: username, on: connection).first
    }

    /// What a login needs to check `username`'s password, if the user exists.
    public func credentials(username: String, on connection: PostgresConnection) async throws -> UserCredentials? {
        let rows = try await connection.query(
            """
            SELECT id, username, hashed_password, is_active, failed_logins, last_failed_login
            FROM users WHERE username = \(username)
            """, logger: logger)
        for try await (id, name, hash, active, failures, lastFailure) in rows.decode(
            (Int32, String, String, Bool, Int32, Date?).self)
        {
            return UserCredentials(
                id: id, username: name, passwordHash: hash, isActive: active, failedLogins: failures,
                lastFailedLogin: lastFailure)
        }
        return nil
    }

    /// Counts a failed login of user `id`.
    public func recordFailedLogin(userID id: Int32, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE users SET failed_logins = LEAST(failed_logins + 1, 1000000), last_failed_login = now()
            WHERE id = \(id)
            """, logger: logger)
    }

    /// Records a successful login of user `id`: resets the failure count.
    public func recordLogin(userID id: Int32, on connection: PostgresConnection) async throws {
        try await connection.query(
            "UPDATE users SET failed_logins = 0, last_login = now() WHERE id = \(id)", logger: logger)
    }

    // MARK: -

    private static func validate(email: String?) throws {
        guard let email else { return }
        guard TextInput.problem(email, maximumLength: 100) == nil, email.contains("@"),
            !email.contains(where: \.isWhitespace)
        else {
            throw InputError(field: "email", reason: "an address of at most 100 characters")
        }
    }

    private func validate(regions: [String], role: OperatorRole, on connection: PostgresConnection) async throws {
        if role == .regionalManager, regions.isEmpty {
            throw InputError(field: "regions", reason: "a regional manager needs at least one region")
        }
        guard !regions.isEmpty else { return }
        let rows = try await connection.query(
            """
            SELECT r FROM unnest(\(regions)::text[]) AS r
            WHERE r NOT IN (SELECT name_en FROM georgian_regions)
              AND r NOT IN (SELECT region FROM branches WHERE region IS NOT NULL)
            """, logger: logger)
        for try await unknown in rows.decode(String.self) {
            throw InputError(field: "regions", reason: "unknown region \(unknown.debugDescription)")
        }
    }

    private func requireID(_ username: String, on connection: PostgresConnection) async throws -> Int32 {
        let rows = try await connection.query("SELECT id FROM users WHERE username = \(username)", logger: logger)
        for try await id in rows.decode(Int32.self) { return id }
        throw InputError(field: "username", reason: "no user \(username)")
    }

    private func replaceRegions(of id: Int32, with regions: [String], on connection: PostgresConnection) async throws {
        try await connection.query("DELETE FROM user_regions WHERE user_id = \(id)", logger: logger)
        try await connection.query(
            """
            INSERT INTO user_regions (user_id, region) SELECT \(id), r FROM unnest(\(regions)::text[]) AS r
            ON CONFLICT DO NOTHING
            """, logger: logger)
    }

    private func endSessions(of id: Int32, on connection: PostgresConnection) async throws {
        try await connection.query(
            "UPDATE user_sessions SET ended_at = now() WHERE user_id = \(id) AND ended_at IS NULL", logger: logger)
    }

    private func records(where condition: String, binding: String? = nil, on connection: PostgresConnection)
        async throws -> [UserRecord]
    {
        var query = PostgresQuery(
            unsafeSQL: """
                SELECT u.id, u.username, u.email, u.full_name, u.role,
                       COALESCE((SELECT array_agg(region ORDER BY region) FROM user_regions WHERE user_id = u.id), '{}'),
                       u.is_active, u.created_at, u.last_login, u.failed_logins
                FROM users u WHERE \(condition) ORDER BY u.username
                """)
        if let binding { query.binds.append(binding) }
        let rows = try await connection.query(query, logger: logger)
        var users: [UserRecord] = []
        for try await (id, username, email, fullName, role, regions, active, created, lastLogin, failures)
            in rows.decode((Int32, String, String?, String?, String, [String], Bool, Date, Date?, Int32).self)
        {
            users.append(
                UserRecord(
                    id: id, username: username, email: email, fullName: fullName,
                    role: OperatorRole(rawValue: role) ?? .viewer, regions: regions, isActive: active,
                    createdAt: created, lastLogin: lastLogin, failedLogins: failures))
        }
        return users
    }
}
