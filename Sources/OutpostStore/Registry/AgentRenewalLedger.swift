import Foundation
import Logging
import OutpostCore
import PostgresNIO

/// The database side of certificate renewal over an agent's mTLS session: who may renew, and
/// the record of the new certificate.
///
/// Renewal keeps the agent's key (batch signatures are checked against `agents.public_key`),
/// so the new certificate is recorded only if the agent is still active and its key is the
/// registered one; a revocation committed meanwhile wins (the UPDATE re-reads the row).
public struct AgentRenewalLedger: Sendable {
    /// What a renewal needs to know about the agent.
    public struct Grant: Sendable, Equatable {
        /// The branch name, written again in the new certificate's subject.
        public let branchName: String
        /// The registered public key (65-byte X9.63 point).
        public let publicKey: [UInt8]
    }

    private let logger: Logger

    /// Creates a ledger logging to `logger`.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// The grant of an active agent; `nil` for an unknown, disabled or revoked one.
    public func grant(for agentID: AgentID, on connection: PostgresConnection) async throws -> Grant? {
        let rows = try await connection.query(
            """
            SELECT b.name, a.public_key FROM agents a JOIN branches b ON b.id = a.branch_id
            WHERE a.id = \(agentID.uuid) AND a.status = 'active'
            """,
            logger: logger)
        for try await (branch, key) in rows.decode((String, Data).self) {
            return Grant(branchName: branch, publicKey: Array(key))
        }
        return nil
    }

    /// Records the renewed certificate of `agentID` if the agent is still active with
    /// `publicKey`; returns whether it was recorded.
    public func recordRenewal(
        of agentID: AgentID, publicKey: [UInt8], serial: String, notAfter: Date, on connection: PostgresConnection
    ) async throws -> Bool {
        let rows = try await connection.query(
            """
            UPDATE agents SET cert_serial = \(serial), cert_not_after = \(notAfter)
            WHERE id = \(agentID.uuid) AND status = 'active' AND public_key = \(Data(publicKey))
            RETURNING id
            """,
            logger: logger)
        var updated = false
        for try await _ in rows.decode(UUID.self) { updated = true }
        return updated
    }
}
