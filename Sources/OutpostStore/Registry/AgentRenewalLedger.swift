import Foundation
import Logging
import OutpostCore
import PostgresNIO

/// The database side of certificate renewal over an agent's mTLS session: who may renew, and
/// the record of the new certificate.
///
/// Renewal keeps the agent's key (batch signatures are checked against `agents.public_key`),
/// so the new certificate is recorded only if the agent is still active and its key is the
/// registered one; a revocation committed meanwhile wins (the agent's row is locked and read
/// again). Renewals are limited per agent and hour, counted in `agent_certificates` (where
/// migration 11's trigger records every certificate issued).
public struct AgentRenewalLedger: Sendable {
    /// What a renewal needs to know about the agent.
    public struct Grant: Sendable, Equatable {
        /// The branch name, written again in the new certificate's subject.
        public let branchName: String
        /// The registered public key (65-byte X9.63 point).
        public let publicKey: [UInt8]
        /// Certificates renewed for the agent within the last hour.
        public let renewalsInLastHour: Int
    }

    /// What became of a renewal to record.
    public enum Outcome: Sendable, Equatable {
        /// The new certificate is the agent's current one (committed).
        case recorded
        /// The agent is unknown, not active, or has another key now; nothing changed.
        case inactive
        /// The agent renewed the allowed number of times within the last hour; nothing changed.
        case rateLimited
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
            SELECT b.name, a.public_key, (\(unescaped: Self.renewalsInLastHour))::int FROM agents a JOIN branches b ON b.id = a.branch_id
            WHERE a.id = \(agentID.uuid) AND a.status = 'active'
            """,
            logger: logger)
        for try await (branch, key, renewals) in rows.decode((String, Data, Int32).self) {
            return Grant(branchName: branch, publicKey: Array(key), renewalsInLastHour: Int(renewals))
        }
        return nil
    }

    /// SQL counting the renewals of the agent `a` within the last hour.
    private static let renewalsInLastHour = """
        SELECT count(*) FROM agent_certificates c
        WHERE c.agent_id = a.id AND c.renewal AND c.issued_at > now() - interval '1 hour'
        """

    /// Records the renewed certificate of `agentID` if the agent is still active with
    /// `publicKey` and renewed fewer than `maximumPerHour` times within the last hour. The
    /// agent's row is locked first, so concurrent renewals are counted one after the other.
    public func recordRenewal(
        of agentID: AgentID, publicKey: [UInt8], serial: String, notAfter: Date, maximumPerHour: Int,
        on connection: PostgresConnection
    ) async throws -> Outcome {
        try await connection.transaction(logger: logger) { connection in
            // Locked first, counted after: the count's snapshot then sees a concurrent renewal
            // that held the lock before.
            let locked = try await connection.query(
                """
                SELECT id FROM agents
                WHERE id = \(agentID.uuid) AND status = 'active' AND public_key = \(Data(publicKey))
                FOR UPDATE
                """,
                logger: logger)
            var found = false
            for try await _ in locked.decode(UUID.self) { found = true }
            guard found else { return .inactive }
            let counted = try await connection.query(
                "SELECT (\(unescaped: Self.renewalsInLastHour))::int FROM agents a WHERE a.id = \(agentID.uuid)",
                logger: logger)
            var renewals = 0
            for try await count in counted.decode(Int32.self) { renewals = Int(count) }
            guard renewals < maximumPerHour else { return .rateLimited }
            try await connection.query(
                "UPDATE agents SET cert_serial = \(serial), cert_not_after = \(notAfter) WHERE id = \(agentID.uuid)",
                logger: logger)
            return .recorded
        }
    }
}
