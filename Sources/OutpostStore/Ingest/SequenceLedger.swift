import Foundation
import Logging
import OutpostCore
import PostgresNIO

/// One agent's ``SequenceWindow``, locked for the length of an ingest transaction.
struct SequenceLedger {
    let agentID: AgentID
    private(set) var window: SequenceWindow

    var highWater: BatchSequence { window.highWater }

    /// Records `sequence` as committed; `false` when it already was (a duplicate).
    mutating func record(_ sequence: BatchSequence) -> Bool { window.record(sequence) }

    /// Marks every sequence up to `sequence` as settled (the agent no longer holds them).
    mutating func settle(through sequence: BatchSequence) { window.settle(through: sequence) }

    /// Locks (creating where missing) the ledgers of `agents` until the transaction ends.
    static func lock(agents: Set<AgentID>, on connection: PostgresConnection, logger: Logger) async throws -> [AgentID:
        SequenceLedger]
    {
        let ids = agents.map(\.uuid).sorted { $0.precedesInDatabaseOrder($1) }  // fixed order: no deadlocks
        try await connection.query(
            "INSERT INTO agent_sequences (agent_id) SELECT unnest(\(ids)::uuid[]) ON CONFLICT (agent_id) DO NOTHING",
            logger: logger)
        let rows = try await connection.query(
            """
            SELECT agent_id, high_water, committed_above FROM agent_sequences
            WHERE agent_id = ANY(\(ids)::uuid[]) ORDER BY agent_id FOR UPDATE
            """, logger: logger)
        var ledgers: [AgentID: SequenceLedger] = [:]
        for try await (id, highWater, above) in rows.decode((UUID, Int64, [Int64]).self) {
            let agent = AgentID(id)
            ledgers[agent] = SequenceLedger(
                agentID: agent,
                window: SequenceWindow(
                    highWater: BatchSequence(clamping: highWater),
                    committedAbove: Set(above.map { BatchSequence(clamping: $0) })))
        }
        return ledgers
    }

    /// Writes the ledgers back (inside the same transaction).
    static func save(_ ledgers: some Collection<SequenceLedger>, on connection: PostgresConnection, logger: Logger)
        async throws
    {
        guard !ledgers.isEmpty else { return }
        let ids = ledgers.map(\.agentID.uuid)
        let highWaters = ledgers.map { Int64(clamping: $0.window.highWater) }
        let above = ledgers.map {
            "{" + $0.window.committedAbove.sorted().map(String.init).joined(separator: ",") + "}"
        }
        try await connection.query(
            """
            UPDATE agent_sequences s SET high_water = u.high_water, committed_above = u.above::bigint[], updated_at = now()
            FROM unnest(\(ids)::uuid[], \(highWaters)::bigint[], \(above)::text[]) AS u(id, high_water, above)
            WHERE s.agent_id = u.id
            """, logger: logger)
    }
}
