import Foundation
import Logging
import NIOCore
import OutpostCore
import PostgresNIO

/// What a collector session needs to know about the agent on the other end.
public struct SessionAgent: Sendable {
    public let agentID: AgentID
    public let branchID: UUID
    /// `active` or `revoked`.
    public let status: String
    /// The agent's public key as registered at enrolment (X9.63 point for P-256).
    public let publicKey: [UInt8]
    /// Every sequence up to this one is committed; the agent may forget them.
    public let highWater: BatchSequence
}

/// Postgres access for agent sessions: identity lookup, Hello bookkeeping and sequence settling.
public struct AgentSessionStore: Sendable {
    private let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// The agent's registration, or `nil` when it is unknown.
    public func agent(_ agentID: AgentID, on connection: PostgresConnection) async throws -> SessionAgent? {
        let rows = try await connection.query(
            """
            SELECT a.branch_id, a.status, a.public_key, coalesce(s.high_water, 0)
            FROM agents a LEFT JOIN agent_sequences s ON s.agent_id = a.id
            WHERE a.id = \(agentID.uuid)
            """, logger: logger)
        for try await (branch, status, key, highWater) in rows.decode((UUID, String, ByteBuffer, Int64).self) {
            return SessionAgent(
                agentID: agentID, branchID: branch, status: status, publicKey: Array(key.readableBytesView),
                highWater: BatchSequence(clamping: highWater))
        }
        return nil
    }

    /// Records a Hello: last seen, address, version, the agent's spool losses; and settles every
    /// sequence up to `lastAcknowledged` (the agent no longer holds them, so none can arrive).
    /// Returns the new high-water mark.
    public func recordHello(
        _ agentID: AgentID, version: String, address: String, droppedResults: UInt64,
        lastAcknowledged: BatchSequence, on connection: PostgresConnection
    ) async throws -> BatchSequence {
        try await connection.withTransaction(logger: logger) { connection in
            try await connection.query(
                """
                UPDATE agents SET last_seen = now(), last_address = \(address), version = \(version),
                    dropped_results_total = least(dropped_results_total::numeric + \(Int64(clamping: droppedResults)), 9223372036854775807)::bigint
                WHERE id = \(agentID.uuid)
                """, logger: logger)
            var ledgers = try await SequenceLedger.lock(agents: [agentID], on: connection, logger: logger)
            ledgers[agentID]!.settle(through: lastAcknowledged)
            try await SequenceLedger.save(ledgers.values, on: connection, logger: logger)
            return ledgers[agentID]!.highWater
        }
    }

    /// Stores `report` as `agentID`'s latest health summary, received now, and marks the agent
    /// seen now with its spool backlog (`agents.last_seen`, `agents.spool_backlog_batches`), in
    /// one statement. `agentID` is the session's authenticated agent: a summary names no agent.
    /// Nothing is written for an agent that no longer exists.
    public func recordHealth(
        _ report: AgentHealthReport, of agentID: AgentID, on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            WITH seen AS (
                UPDATE agents SET last_seen = now(), spool_backlog_batches = \(report.spoolPendingBatches)
                WHERE id = \(agentID.uuid) RETURNING id
            )
            INSERT INTO agent_health (agent_id, received_at, agent_version, resident_bytes, anonymous_bytes,
                                      spool_bytes, spool_pending_batches, spool_dropped_batches,
                                      spool_dropped_results, rounds_overrun, icmp_demand_pps, icmp_ceiling_pps)
            SELECT id, now(), \(report.agentVersion), \(report.residentBytes), \(report.anonymousBytes),
                   \(report.spoolBytes), \(report.spoolPendingBatches), \(report.spoolDroppedBatches),
                   \(report.spoolDroppedResults), \(report.roundsOverrun), \(report.icmpDemandPerSecond),
                   \(report.icmpCeilingPerSecond)
            FROM seen
            ON CONFLICT (agent_id) DO UPDATE SET
                received_at = EXCLUDED.received_at, agent_version = EXCLUDED.agent_version,
                resident_bytes = EXCLUDED.resident_bytes, anonymous_bytes = EXCLUDED.anonymous_bytes,
                spool_bytes = EXCLUDED.spool_bytes, spool_pending_batches = EXCLUDED.spool_pending_batches,
                spool_dropped_batches = EXCLUDED.spool_dropped_batches,
                spool_dropped_results = EXCLUDED.spool_dropped_results, rounds_overrun = EXCLUDED.rounds_overrun,
                icmp_demand_pps = EXCLUDED.icmp_demand_pps, icmp_ceiling_pps = EXCLUDED.icmp_ceiling_pps
            """, logger: logger)
    }

    /// Marks the agent seen now (heartbeats, batches).
    public func touch(_ agentID: AgentID, on connection: PostgresConnection) async throws {
        try await connection.query("UPDATE agents SET last_seen = now() WHERE id = \(agentID.uuid)", logger: logger)
    }
}
