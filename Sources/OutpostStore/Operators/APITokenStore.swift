import Foundation
import Logging
import PostgresNIO

/// API tokens for automation (`api_tokens`): created for a user, presented as
/// `Authorization: Bearer`, stored as SHA-256 digests, revocable, listed with their last use.
/// A token works only while its user is active.
public struct APITokenStore: Sendable {
    /// A token as listed (never its secret).
    public struct Record: Sendable, Equatable, Encodable {
        public let id: UUID
        public let username: String
        public let name: String
        public let createdAt: Date
        public let expiresAt: Date?
        public let lastUsedAt: Date?
        public let lastUsedFrom: String?
        public let revokedAt: Date?
    }

    private let logger: Logger
    private var audit: AuditLog { AuditLog(logger: logger) }

    /// Creates a store logging to `logger`.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// Records a token named `name` of user `username`, whose secret hashes to `secretHash`.
    public func create(
        username: String, name: String, secretHash: [UInt8], expiresAt: Date?, by actor: AuditActor,
        on connection: PostgresConnection
    ) async throws -> Record {
        if let problem = TextInput.problem(name, maximumLength: 100) {
            throw InputError(field: "name", reason: problem)
        }
        guard secretHash.count == 32 else { throw InputError(field: "token", reason: "digest must be 32 bytes") }
        return try await connection.transaction(logger: logger) { connection in
            let users = try await connection.query(
                "SELECT id FROM users WHERE username = \(username)", logger: logger)
            var userID: Int32?
            for try await id in users.decode(Int32.self) { userID = id }
            guard let userID else { throw InputError(field: "user", reason: "no user \(username)") }
            let live = try await connection.query(
                "SELECT count(*) FROM api_tokens WHERE user_id = \(userID) AND name = \(name) AND revoked_at IS NULL",
                logger: logger)
            for try await count in live.decode(Int.self) where count > 0 {
                throw InputError(field: "name", reason: "\(username) has a live token named \(name)")
            }
            let rows = try await connection.query(
                """
                INSERT INTO api_tokens (user_id, name, token_hash, expires_at)
                VALUES (\(userID), \(name), \(Data(secretHash)), \(expiresAt)) RETURNING id
                """, logger: logger)
            var tokenID = UUID()
            for try await id in rows.decode(UUID.self) { tokenID = id }
            try await audit.append(
                .diff(
                    action: "create", entity: "api_token", entityID: tokenID.uuidString.lowercased(), before: [:],
                    after: [
                        "user": .text(username), "name": .text(name), "token": .secret,
                        "expires_at": .optional(expiresAt.map { $0.formatted(.iso8601) }),
                    ]), by: actor, on: connection)
            guard let record = try await list(username: username, on: connection).first(where: { $0.id == tokenID })
            else { throw InputError(field: "token", reason: "vanished while being created") }
            return record
        }
    }

    /// Tokens, newest first; of one user if `username` is given.
    public func list(username: String? = nil, on connection: PostgresConnection) async throws -> [Record] {
        let rows = try await connection.query(
            """
            SELECT t.id, u.username, t.name, t.created_at, t.expires_at, t.last_used_at, t.last_used_from, t.revoked_at
            FROM api_tokens t JOIN users u ON u.id = t.user_id
            WHERE \(username)::text IS NULL OR u.username = \(username)
            ORDER BY t.created_at DESC, t.id
            """, logger: logger)
        var records: [Record] = []
        for try await (id, user, name, created, expires, used, from, revoked) in rows.decode(
            (UUID, String, String, Date, Date?, Date?, String?, Date?).self)
        {
            records.append(
                Record(
                    id: id, username: user, name: name, createdAt: created, expiresAt: expires, lastUsedAt: used,
                    lastUsedFrom: from, revokedAt: revoked))
        }
        return records
    }

    /// Revokes token `id`; false when no live token has that id.
    public func revoke(id: UUID, by actor: AuditActor, on connection: PostgresConnection) async throws -> Bool {
        try await connection.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                "UPDATE api_tokens SET revoked_at = now() WHERE id = \(id) AND revoked_at IS NULL RETURNING id",
                logger: logger)
            var revoked = false
            for try await _ in rows.decode(UUID.self) { revoked = true }
            if revoked {
                try await audit.append(
                    .diff(
                        action: "revoke", entity: "api_token", entityID: id.uuidString.lowercased(),
                        before: ["revoked": .bool(false)], after: ["revoked": .bool(true)]), by: actor, on: connection)
            }
            return revoked
        }
    }

    /// The operator behind the live token whose secret hashes to `secretHash`, recording its use.
    public func authenticate(secretHash: [UInt8], source: String, on connection: PostgresConnection) async throws
        -> OperatorPrincipal?
    {
        let rows = try await connection.query(
            """
            UPDATE api_tokens t SET last_used_at = now(), last_used_from = \(String(source.prefix(64)))
            FROM users u
            WHERE t.token_hash = \(Data(secretHash)) AND u.id = t.user_id AND u.is_active
              AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())
            RETURNING t.id, u.id, u.username, u.role,
                COALESCE((SELECT array_agg(region) FROM user_regions WHERE user_id = u.id), '{}')
            """, logger: logger)
        for try await (tokenID, userID, username, role, regions) in rows.decode(
            (UUID, Int32, String, String, [String]).self)
        {
            guard let role = OperatorRole(rawValue: role) else { return nil }
            return OperatorPrincipal(
                userID: userID, username: username, role: role, regions: Set(regions), tokenID: tokenID)
        }
        return nil
    }
}
