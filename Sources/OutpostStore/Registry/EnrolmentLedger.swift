import Foundation
import Logging
import PostgresNIO

/// Consumes an enrolment token and records the agent it enrols, in one transaction.
///
/// The token is taken by a single `UPDATE … WHERE used_at IS NULL AND revoked_at IS NULL AND
/// expires_at > now() RETURNING`: of two agents presenting the same token at once, the second
/// waits for the first's row lock and then finds the token used. The certificate is issued
/// inside that transaction (by the caller's closure), so a refused CSR or any failure before
/// the commit leaves the token unused and no agent recorded.
public struct EnrolmentLedger: Sendable {
    /// Why a presented token cannot enrol an agent.
    public enum Refusal: Sendable, Equatable, CustomStringConvertible {
        /// No token has this secret.
        case unknown
        /// The token's expiry has passed.
        case expired
        /// An agent already enrolled with it.
        case alreadyUsed
        /// An operator revoked it.
        case revoked

        public var description: String {
            switch self {
            case .unknown: "unknown token"
            case .expired: "token expired"
            case .alreadyUsed: "token already used"
            case .revoked: "token revoked"
            }
        }
    }

    /// The result of ``enrol(secretHash:on:issue:)``.
    public enum Outcome: Sendable, Equatable {
        /// The token was consumed and the agent recorded (committed).
        case enrolled(EnrolmentGrant, NewAgentRecord)
        /// Nothing changed.
        case refused(Refusal)
    }

    private let logger: Logger

    /// Creates a ledger logging to `logger`.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// Consumes the token whose secret hashes to `secretHash`, calls `issue` with what it grants,
    /// and records the agent `issue` returns, all in one transaction.
    ///
    /// - Parameter issue: Issues the certificate for the granted branch. Whatever it throws is
    ///   rethrown unchanged after the transaction rolled back (the token stays unused).
    public func enrol(
        secretHash: [UInt8],
        on connection: PostgresConnection,
        issue: (EnrolmentGrant) throws -> NewAgentRecord
    ) async throws -> Outcome {
        let hash = Data(secretHash)
        let enrolled: (EnrolmentGrant, NewAgentRecord)?
        do {
            enrolled = try await connection.withTransaction(logger: logger) { connection in
                guard let grant = try await consume(hash, on: connection) else { return nil }
                let agent = try issue(grant)
                try await connection.query(
                    """
                    INSERT INTO agents (id, branch_id, public_key, cert_serial, cert_not_after)
                    VALUES (\(agent.agentID.uuid), \(grant.branchID), \(Data(agent.publicKeyDER)),
                            \(agent.certificateSerial), \(agent.certificateNotAfter))
                    """,
                    logger: logger)
                try await connection.query(
                    "UPDATE enrolment_tokens SET used_by_agent = \(agent.agentID.uuid) WHERE id = \(grant.tokenID)",
                    logger: logger)
                return (grant, agent)
            }
        } catch let error as PostgresTransactionError {
            if let closureError = error.closureError, error.rollbackError == nil { throw closureError }
            throw error
        }
        if let (grant, agent) = enrolled { return .enrolled(grant, agent) }
        return .refused(try await refusal(for: hash, on: connection))
    }

    private func consume(_ hash: Data, on connection: PostgresConnection) async throws -> EnrolmentGrant? {
        let rows = try await connection.query(
            """
            UPDATE enrolment_tokens AS t SET used_at = now()
            FROM branches AS b
            WHERE t.token_hash = \(hash) AND b.id = t.branch_id
              AND t.used_at IS NULL AND t.revoked_at IS NULL AND t.expires_at > now()
            RETURNING t.id, t.branch_id, b.name
            """,
            logger: logger)
        for try await (token, branch, name) in rows.decode((UUID, UUID, String).self) {
            return EnrolmentGrant(tokenID: token, branchID: branch, branchName: name)
        }
        return nil
    }

    /// Why the token could not be consumed (read after the fact; only for the error message).
    private func refusal(for hash: Data, on connection: PostgresConnection) async throws -> Refusal {
        let rows = try await connection.query(
            """
            SELECT revoked_at IS NOT NULL, used_at IS NOT NULL, expires_at <= now()
            FROM enrolment_tokens WHERE token_hash = \(hash)
            """,
            logger: logger)
        for try await (revoked, used, expired) in rows.decode((Bool, Bool, Bool).self) {
            if used { return .alreadyUsed }
            if revoked { return .revoked }
            if expired { return .expired }
        }
        return .unknown
    }
}
