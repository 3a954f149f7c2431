import Crypto
import Foundation
import Logging
import OutpostCore
import OutpostStore
import OutpostWire
import PostgresNIO

/// What an operator does with a quarantined batch (`outpost-collector quarantine`): replay it
/// once the cause is fixed, or discard it. Both keep the row, marked, for the audit trail.
public struct QuarantineRelease: Sendable {
    /// A replay that cannot proceed.
    public struct Refusal: Error, CustomStringConvertible {
        public let description: String
    }

    /// What a replay wrote.
    public struct Replayed: Sendable {
        public let rowsWritten: Int
        /// Rows of devices or items no longer (or never) of the agent's branch: not written.
        public let rowsRefused: Int
    }

    private let logger: Logger
    private let quarantine: IngestQuarantine

    public init(logger: Logger) {
        self.logger = logger
        self.quarantine = IngestQuarantine(logger: logger)
    }

    /// Writes the held batch `id` as a session would have: its signature verified again with
    /// the agent's registered key, its values checked against their domains as of its arrival,
    /// its rows kept to the agent's branch as it is now. Its sequence is already recorded, so
    /// the rows are written without it; the batch is marked `replayed` in the same transaction.
    /// When PostgreSQL refuses the rows again, nothing changes and the error is thrown.
    public func replay(_ id: Int64, by actor: AuditActor, on connection: PostgresConnection) async throws -> Replayed {
        let held = try await quarantine.held(id, on: connection)
        guard let agent = try await AgentSessionStore(logger: logger).agent(held.agentID, on: connection) else {
            throw Refusal(description: "agent \(held.agentID) is not registered any more")
        }
        let key: P256.Signing.PublicKey
        let batch: Batch
        do {
            key = try P256.Signing.PublicKey(x963Representation: agent.publicKey)
            batch = try SignedBatch(serializedBytes: held.payload).verify(with: key)
            try BatchValidator(now: held.receivedAt, futureSkew: AgentSessionContext.Configuration().maximumFutureSkew)
                .validate(batch)
        } catch {
            throw Refusal(description: "batch \(id) does not verify or validate: \(error)")
        }
        guard batch.agentID == held.agentID, batch.sequence == held.sequence else {
            throw Refusal(
                description:
                    "batch \(id) names agent \(batch.agentID) sequence \(batch.sequence), not its quarantine row")
        }
        let scope = try await BranchScope.load(branch: agent.branchID, on: connection, logger: logger)
        let (admitted, refused) = scope.admitted(batch, payload: held.payload)
        let quarantine = self.quarantine
        let outcome = try await IngestWriter(logger: logger, deviceStateRefresh: .zero).writeReleased(
            admitted, on: connection
        ) { connection in
            try await quarantine.resolve(id, as: "replayed", by: actor, on: connection)
        }
        return Replayed(rowsWritten: outcome.rowsWritten, rowsRefused: refused.total)
    }

    /// Marks the held batch `id` discarded: its rows are never written.
    public func discard(_ id: Int64, by actor: AuditActor, on connection: PostgresConnection) async throws {
        try await quarantine.discard(id, by: actor, on: connection)
    }

    /// The quarantined batches (only the held ones unless `includeResolved`).
    public func list(includeResolved: Bool, on connection: PostgresConnection) async throws -> [QuarantinedBatch] {
        try await quarantine.list(includeResolved: includeResolved, on: connection)
    }
}
