import Foundation
import Logging
import NIOCore
import OutpostCore
import PostgresNIO

/// A batch held in `ingest_quarantine`: its rows broke a database rule on ingest.
public struct QuarantinedBatch: Sendable {
    public let id: Int64
    public let agentID: AgentID
    /// The agent's branch, by name.
    public let branch: String
    public let sequence: BatchSequence
    public let receivedAt: Date
    public let rowCount: Int
    /// The SQLSTATE of the refusal (class 22 data exception or 23 integrity violation).
    public let sqlState: String
    public let error: String
    /// `held`, `replayed` or `discarded`.
    public let status: String
    /// The signed batch as the agent sent it.
    public let payload: [UInt8]
}

/// `ingest_quarantine`: where ingest keeps a batch whose rows PostgreSQL refused, so that one
/// bad batch costs only itself, and where an operator lists, replays or discards such batches.
public struct IngestQuarantine: Sendable {
    /// The batch is not held (unknown id, or already replayed or discarded).
    public struct NotHeld: Error, CustomStringConvertible {
        public let id: Int64
        public var description: String { "no held batch with id \(id) (see `outpost-collector quarantine list`)" }
    }

    private let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// Keeps `batch` (with its payload) and records its sequence as committed, in one
    /// transaction, so the agent's resend is recognised as a replay. Returns `false` when the
    /// sequence was committed before (the batch is a replay: nothing is held).
    public func hold(_ batch: IngestBatch, sqlState: String, error: String, on connection: PostgresConnection)
        async throws -> Bool
    {
        try await connection.transaction(logger: logger) { connection in
            var ledgers = try await SequenceLedger.lock(agents: [batch.agentID], on: connection, logger: logger)
            guard ledgers[batch.agentID]!.record(batch.sequence) else { return false }
            try await connection.query(
                """
                INSERT INTO ingest_quarantine (agent_id, sequence, row_count, sqlstate, error, payload)
                VALUES (\(batch.agentID.uuid), \(Int64(clamping: batch.sequence)), \(batch.rowCount), \(sqlState),
                        \(String(error.prefix(4000))), \(ByteBuffer(bytes: batch.payload)))
                ON CONFLICT (agent_id, sequence) DO NOTHING
                """, logger: logger)
            try await SequenceLedger.save(ledgers.values, on: connection, logger: logger)
            return true
        }
    }

    /// Quarantined batches, oldest first: only the held ones unless `includeResolved`.
    public func list(includeResolved: Bool, on connection: PostgresConnection) async throws -> [QuarantinedBatch] {
        try await select(includeResolved: includeResolved, id: nil, on: connection)
    }

    /// The held batch `id`.
    public func held(_ id: Int64, on connection: PostgresConnection) async throws -> QuarantinedBatch {
        guard let batch = try await select(includeResolved: false, id: id, on: connection).first else {
            throw NotHeld(id: id)
        }
        return batch
    }

    /// Marks the held batch `id` as `status` (`replayed` or `discarded`) with an audit entry by
    /// `actor`; throws ``NotHeld`` when it is not held any more. Call inside the transaction
    /// that acts on it.
    public func resolve(_ id: Int64, as status: String, by actor: AuditActor, on connection: PostgresConnection)
        async throws
    {
        let rows = try await connection.query(
            """
            UPDATE ingest_quarantine SET status = \(status), resolved_at = now()
            WHERE id = \(id) AND status = 'held' RETURNING id
            """, logger: logger)
        var resolved = false
        for try await _ in rows.decode(Int64.self) { resolved = true }
        guard resolved else { throw NotHeld(id: id) }
        try await AuditLog(logger: logger).append(
            .diff(
                action: status == "replayed" ? "replay" : "discard", entity: "quarantined_batch", entityID: "\(id)",
                before: ["status": .text("held")], after: ["status": .text(status)]), by: actor, on: connection)
    }

    /// Marks the held batch `id` discarded (its rows are never written), audited.
    public func discard(_ id: Int64, by actor: AuditActor, on connection: PostgresConnection) async throws {
        try await connection.transaction(logger: logger) { connection in
            try await resolve(id, as: "discarded", by: actor, on: connection)
        }
    }

    /// Held batches (all of them with `includeResolved`), only `id` when given.
    private func select(includeResolved: Bool, id: Int64?, on connection: PostgresConnection) async throws
        -> [QuarantinedBatch]
    {
        var batches: [QuarantinedBatch] = []
        let rows = try await connection.query(
            """
            SELECT q.id, q.agent_id, b.name, q.sequence, q.received_at, q.row_count, q.sqlstate, q.error, q.status, q.payload
            FROM ingest_quarantine q JOIN agents a ON a.id = q.agent_id JOIN branches b ON b.id = a.branch_id
            WHERE (\(id)::bigint IS NULL OR q.id = \(id)) AND (\(includeResolved) OR q.status = 'held')
            ORDER BY q.received_at, q.id
            """, logger: logger)
        for try await (id, agent, branch, sequence, received, count, state, error, status, payload)
            in rows.decode((Int64, UUID, String, Int64, Date, Int32, String, String, String, ByteBuffer).self)
        {
            batches.append(
                QuarantinedBatch(
                    id: id, agentID: AgentID(agent), branch: branch, sequence: BatchSequence(clamping: sequence),
                    receivedAt: received,
                    rowCount: Int(count), sqlState: state, error: error, status: status,
                    payload: Array(payload.readableBytesView)))
        }
        return batches
    }
}
