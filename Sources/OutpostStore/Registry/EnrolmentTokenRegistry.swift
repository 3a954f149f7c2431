import Foundation
import Logging
import OutpostCore
import PostgresNIO

/// The `enrolment_tokens` table for operators: create, list, revoke. Only the SHA-256 of a
/// token's secret is ever stored or read; the token itself never reaches this type.
public struct EnrolmentTokenRegistry: Sendable {
    private let logger: Logger

    /// Creates a registry logging to `logger`.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// Records a new token for the branch `branchName`, valid until `expiresAt`, audited as
    /// created by `actor`.
    ///
    /// - Parameter secretHash: SHA-256 of the token's secret (32 bytes).
    /// - Throws: ``RegistryError/unknownBranch(_:)`` when no branch has that name.
    public func create(
        secretHash: [UInt8], branchName: String, expiresAt: Date, by actor: AuditActor,
        on connection: PostgresConnection
    ) async throws -> EnrolmentTokenRecord {
        guard secretHash.count == 32 else {
            throw RegistryError.invalidValue(field: "token hash", reason: "must be 32 bytes (SHA-256)")
        }
        return try await connection.transaction(logger: logger) { connection in
            try await insert(
                secretHash: secretHash, branchName: branchName, expiresAt: expiresAt, by: actor, on: connection)
        }
    }

    private func insert(
        secretHash: [UInt8], branchName: String, expiresAt: Date, by actor: AuditActor,
        on connection: PostgresConnection
    ) async throws -> EnrolmentTokenRecord {
        let rows = try await connection.query(
            """
            INSERT INTO enrolment_tokens (token_hash, branch_id, expires_at)
            SELECT \(Data(secretHash)), id, \(expiresAt) FROM branches WHERE name = \(branchName)
            RETURNING id
            """,
            logger: logger)
        for try await id in rows.decode(UUID.self) {
            guard let record = try await token(id: id, on: connection) else { break }
            try await AuditLog(logger: logger).append(
                .diff(
                    action: "create", entity: "enrolment_token", entityID: id.uuidString.lowercased(), before: [:],
                    after: [
                        "branch": .text(branchName), "token": .secret,
                        "expires_at": .text(expiresAt.formatted(.iso8601)),
                    ]), by: actor, on: connection)
            return record
        }
        throw RegistryError.unknownBranch(branchName)
    }

    /// Every token, newest first.
    public func list(on connection: PostgresConnection) async throws -> [EnrolmentTokenRecord] {
        try await records(where: "TRUE", on: connection)
    }

    /// The token with `id`, if any.
    public func token(id: UUID, on connection: PostgresConnection) async throws -> EnrolmentTokenRecord? {
        try await records(where: "t.id = $1", binding: id, on: connection).first
    }

    /// Revokes an unused token so that it can no longer enrol an agent.
    ///
    /// - Returns: The token after the call. A used or already revoked token is returned unchanged
    ///   (check ``EnrolmentTokenRecord/revokedAt``).
    /// - Throws: ``RegistryError/unknownToken(_:)``.
    public func revoke(id: UUID, by actor: AuditActor, on connection: PostgresConnection) async throws
        -> EnrolmentTokenRecord
    {
        let rows = try await connection.query(
            """
            UPDATE enrolment_tokens SET revoked_at = now() WHERE id = \(id) AND used_at IS NULL AND revoked_at IS NULL
            RETURNING id
            """, logger: logger)
        for try await _ in rows.decode(UUID.self) {
            try await AuditLog(logger: logger).append(
                .diff(
                    action: "revoke", entity: "enrolment_token", entityID: id.uuidString.lowercased(),
                    before: ["revoked": .bool(false)], after: ["revoked": .bool(true)]), by: actor, on: connection)
        }
        guard let record = try await token(id: id, on: connection) else {
            throw RegistryError.unknownToken(id.uuidString.lowercased())
        }
        return record
    }

    private func records(where condition: String, binding id: UUID? = nil, on connection: PostgresConnection)
        async throws -> [EnrolmentTokenRecord]
    {
        var query = PostgresQuery(
            unsafeSQL: """
                SELECT t.id, b.name, t.created_at, t.expires_at, t.used_at, t.used_by_agent, t.revoked_at
                FROM enrolment_tokens t JOIN branches b ON b.id = t.branch_id
                WHERE \(condition) ORDER BY t.created_at DESC, t.id
                """)
        if let id { query.binds.append(id) }
        let rows = try await connection.query(query, logger: logger)
        var result: [EnrolmentTokenRecord] = []
        for try await (id, branch, created, expires, used, agent, revoked)
            in rows.decode((UUID, String, Date, Date, Date?, UUID?, Date?).self)
        {
            result.append(
                EnrolmentTokenRecord(
                    id: id, branchName: branch, createdAt: created, expiresAt: expires,
                    usedAt: used, usedByAgent: agent.map(AgentID.init), revokedAt: revoked))
        }
        return result
    }
}
