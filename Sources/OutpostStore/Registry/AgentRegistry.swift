import Foundation
import Logging
import OutpostCore
import PostgresNIO

/// Enrolled agents: listing, revocation, and what the mTLS transport needs to admit a session
/// and check batch signatures.
public struct AgentRegistry: Sendable {
    /// The `NOTIFY` channel announcing a revocation; the payload is the revoked agent's id.
    public static let revocationChannel = "outpost_revocations"

    private let logger: Logger

    /// Creates a registry logging to `logger`.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// Every agent, by branch name then enrolment time.
    public func list(on connection: PostgresConnection) async throws -> [AgentRecord] {
        let rows = try await connection.query(
            """
            SELECT a.id, b.name AS branch, a.status, a.cert_serial, a.cert_not_after, a.enrolled_at, a.last_seen,
                   \(unescaped: AgentHealthStatus.selectList)
            FROM agents a JOIN branches b ON b.id = a.branch_id LEFT JOIN agent_health h ON h.agent_id = a.id
            ORDER BY b.name, a.enrolled_at, a.id
            """,
            logger: logger)
        var agents: [AgentRecord] = []
        for try await row in rows {
            let columns = row.makeRandomAccess()
            agents.append(
                AgentRecord(
                    id: AgentID(try columns["id"].decode(UUID.self)),
                    branchName: try columns["branch"].decode(String.self),
                    status: try columns["status"].decode(String.self),
                    certificateSerial: try columns["cert_serial"].decode(String.self),
                    certificateNotAfter: try columns["cert_not_after"].decode(Date.self),
                    enrolledAt: try columns["enrolled_at"].decode(Date.self),
                    lastSeen: try columns["last_seen"].decode(Date?.self),
                    health: try AgentHealthStatus(columns: columns)))
        }
        return agents
    }

    /// The public key of `agentID`'s current certificate and whether it is revoked; `nil` for an
    /// unknown agent.
    public func publicKey(of agentID: AgentID, on connection: PostgresConnection) async throws -> AgentKey? {
        let rows = try await connection.query(
            "SELECT public_key, status, branch_id FROM agents WHERE id = \(agentID.uuid)", logger: logger)
        for try await (key, status, branch) in rows.decode((Data, String, UUID).self) {
            return AgentKey(publicKeyDER: Array(key), isRevoked: status == "revoked", branchID: branch)
        }
        return nil
    }

    /// Every revoked certificate serial (lower-case hex), for the transport's deny list.
    public func revokedSerials(on connection: PostgresConnection) async throws -> Set<String> {
        let rows = try await connection.query("SELECT serial FROM revoked_certificates", logger: logger)
        var serials: Set<String> = []
        for try await serial in rows.decode(String.self) { serials.insert(serial) }
        return serials
    }

    /// Every row of `revoked_certificates`, oldest revocation first (then by serial): what the
    /// CA's certificate revocation list publishes.
    public func revokedCertificates(on connection: PostgresConnection) async throws -> [RevokedCertificateRecord] {
        let rows = try await connection.query(
            "SELECT serial, revoked_at, reason FROM revoked_certificates ORDER BY revoked_at, serial", logger: logger)
        var records: [RevokedCertificateRecord] = []
        for try await (serial, revokedAt, reason) in rows.decode((String, Date, String?).self) {
            records.append(RevokedCertificateRecord(serial: serial, revokedAt: revokedAt, reason: reason))
        }
        return records
    }

    /// Every agent that is revoked (its status, or any of its certificates in
    /// `revoked_certificates`): the transport refuses every certificate naming one of them.
    public func revokedAgents(on connection: PostgresConnection) async throws -> Set<AgentID> {
        let rows = try await connection.query(
            """
            SELECT agent_id FROM revoked_certificates WHERE agent_id IS NOT NULL
            UNION SELECT id FROM agents WHERE status = 'revoked'
            """,
            logger: logger)
        var agents: Set<AgentID> = []
        for try await id in rows.decode(UUID.self) { agents.insert(AgentID(id)) }
        return agents
    }

    /// Revokes `agentID`: records the serial of every certificate ever issued to it
    /// (`agent_certificates`, its current one included) in `revoked_certificates`, marks the
    /// agent `revoked` and sends `NOTIFY outpost_revocations, '<agent id>'`, in one transaction
    /// (the notification goes out on commit). Revoking a revoked agent records certificates not
    /// yet recorded, keeps the others as they were, and notifies again.
    ///
    /// - Returns: The agent's serials (lower-case hex), oldest certificate first.
    /// The revocation is audited as done by `actor`.
    ///
    /// - Throws: ``RegistryError/unknownAgent(_:)``.
    @discardableResult
    public func revoke(_ agentID: AgentID, reason: String?, by actor: AuditActor, on connection: PostgresConnection)
        async throws -> [String]
    {
        if let reason { try BranchRegistry.validate(text: reason, field: "reason", maximumLength: 1000) }
        return try await connection.transaction(logger: logger) { connection in
            // Locked: a renewal recording a new certificate commits before, or finds the agent revoked.
            let current = try await connection.query(
                "SELECT cert_serial FROM agents WHERE id = \(agentID.uuid) FOR UPDATE", logger: logger)
            var found = false
            for try await _ in current.decode(String.self) { found = true }
            guard found else { throw RegistryError.unknownAgent(agentID.description) }
            let rows = try await connection.query(
                """
                -- The current certificate is in agent_certificates (migration 11's trigger); it is
                -- named again so that no revocation can miss it.
                WITH issued AS (
                    SELECT serial, issued_at FROM agent_certificates WHERE agent_id = \(agentID.uuid)
                    UNION SELECT cert_serial, 'infinity' FROM agents WHERE id = \(agentID.uuid)
                ), recorded AS (
                    INSERT INTO revoked_certificates (serial, agent_id, reason)
                    SELECT DISTINCT serial, \(agentID.uuid)::uuid, \(reason)::text FROM issued
                    ON CONFLICT (serial) DO NOTHING
                )
                SELECT serial FROM issued GROUP BY serial ORDER BY min(issued_at), serial
                """,
                logger: logger)
            var serials: [String] = []
            for try await serial in rows.decode(String.self) { serials.append(serial) }
            try await connection.query(
                "UPDATE agents SET status = 'revoked' WHERE id = \(agentID.uuid)", logger: logger)
            try await connection.query(
                "SELECT pg_notify(\(Self.revocationChannel), \(agentID.description))", logger: logger)
            try await AuditLog(logger: logger).append(
                .diff(
                    action: "revoke", entity: "agent", entityID: agentID.description, before: [:],
                    after: ["status": .text("revoked"), "reason": .optional(reason), "serials": .texts(serials)]),
                by: actor, on: connection)
            return serials
        }
    }
}
