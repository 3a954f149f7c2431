import Foundation
import Logging
import NIOCore
import OutpostCore
import PostgresNIO
import Synchronization

/// Writes groups of agent batches to PostgreSQL exactly once, in one transaction per group.
///
/// In that transaction it locks the `agent_sequences` rows of the agents involved, skips
/// batches already committed (replays after a reconnect or crash), COPYs the rows of the rest
/// into their daily partitions (creating a missing day), marks their (device, minute) and
/// (item, minute) pairs pending for the roll-up job (``RollupWriter``), derives device reachability
/// (`last_seen`, `down_since`), item state (`monitoring_items.last_*`) and interface state
/// (`device_interfaces`, from IF-MIB table samples), and records the committed sequences. A caller acknowledges a batch only after ``write(_:on:)`` returned.
///
/// Device rows whose state does not change are written at most once per
/// `deviceStateRefresh` of round time (see ``DeviceStateCache``): a writer is meant to be
/// the one ingest path of its process. Its writes may run concurrently on several
/// connections as long as no agent has batches in two of them at once (the per-device state
/// of an agent's devices then changes in the order of its groups).
public final class IngestWriter: Sendable {
    private let logger: Logger
    private let partitions: PartitionMaintenance
    /// Days known to have partitions, per table ("ping_results:2026-11-25").
    private let knownPartitionDays = Mutex<Set<String>>([])
    private let deviceStates: Mutex<DeviceStateCache>

    /// Creates a writer.
    ///
    /// - Parameter deviceStateRefresh: a device whose reachability does not change gets its
    ///   `last_seen`/`last_probe_at` written when its newest round is this much newer than the
    ///   one last written (at once when the state changes); `.zero` writes every round.
    public init(logger: Logger, deviceStateRefresh: Duration = .seconds(5)) {
        self.logger = logger
        self.partitions = PartitionMaintenance(logger: logger)
        let (seconds, attoseconds) = deviceStateRefresh.components
        self.deviceStates = Mutex(DeviceStateCache(refresh: Double(seconds) + Double(attoseconds) / 1e18))
    }

    /// Writes `batches` (from one or many agents, in arrival order) in one transaction.
    ///
    /// When the connection is lost in the middle of a COPY this never returns (see
    /// `CopyDataSender`): call it under a deadline, as the collector's ingest pipeline does.
    public func write(_ batches: [IngestBatch], on connection: PostgresConnection) async throws -> IngestOutcome {
        try await writeAndRememberState(of: batches) {
            try await connection.transaction(logger: self.logger) { connection in
                try await self.writeInTransaction(batches, on: connection)
            }
        }
    }

    /// Writes the rows of `batch` without looking at or recording its sequence: for a batch an
    /// operator releases from quarantine, whose sequence the ledger already holds. `claim`
    /// runs first in the same transaction (it marks the quarantined batch released, and throws
    /// when another release got there first).
    public func writeReleased(
        _ batch: IngestBatch, on connection: PostgresConnection,
        claim: @Sendable (PostgresConnection) async throws -> Void
    ) async throws -> IngestOutcome {
        try await writeAndRememberState(of: [batch]) {
            try await connection.transaction(logger: self.logger) { connection in
                try await claim(connection)
                var outcome = IngestOutcome()
                outcome.committed = [BatchKey(agentID: batch.agentID, sequence: batch.sequence)]
                let devices = try await self.writeRows(of: [batch], into: &outcome, on: connection)
                return (outcome, devices)
            }
        }
    }

    private func writeAndRememberState(
        of batches: [IngestBatch], _ transaction: () async throws -> (IngestOutcome, DeviceStateUpdate)
    ) async throws -> IngestOutcome {
        do {
            let (outcome, devices) = try await transaction()
            deviceStates.withLock { devices.commit(to: &$0) }
            return outcome
        } catch {
            // The transaction may have committed unseen (a connection lost during COMMIT).
            let devices = Set(batches.flatMap { $0.pings.map(\.deviceID) })
            deviceStates.withLock { cache in
                for device in devices { cache.forget(device) }
            }
            throw error
        }
    }

    private func writeInTransaction(_ batches: [IngestBatch], on connection: PostgresConnection) async throws -> (
        IngestOutcome, DeviceStateUpdate
    ) {
        var outcome = IngestOutcome()
        var ledgers = try await SequenceLedger.lock(agents: Set(batches.map(\.agentID)), on: connection, logger: logger)
        var accepted: [IngestBatch] = []
        for batch in batches {
            let key = BatchKey(agentID: batch.agentID, sequence: batch.sequence)
            if ledgers[batch.agentID]!.record(batch.sequence) {
                accepted.append(batch)
                outcome.committed.append(key)
            } else {
                outcome.duplicates.append(key)
            }
        }
        let devices = try await writeRows(of: accepted, into: &outcome, on: connection)
        try await SequenceLedger.save(ledgers.values, on: connection, logger: logger)
        return (outcome, devices)
    }

    /// COPYs the rows of `batches`, derives device and item state, and counts into `outcome`.
    private func writeRows(
        of batches: [IngestBatch], into outcome: inout IngestOutcome, on connection: PostgresConnection
    ) async throws -> DeviceStateUpdate {
        let pings = batches.flatMap { batch in batch.pings.map { (batch.agentID, $0) } }
        let samples = batches.flatMap { batch in batch.samples.map { (batch.agentID, $0) } }
        try await ensurePartitions(table: "ping_results", days: pings.map(\.1.timestamp), on: connection)
        try await ensurePartitions(table: "item_history", days: samples.map(\.1.timestamp), on: connection)
        try await copyPings(pings, on: connection)
        try await copySamples(samples, on: connection)
        try await RollupPendingMarks(pings: pings.map(\.1), samples: samples.map(\.1)).record(
            on: connection, logger: logger)
        outcome.rowsWritten = pings.count + samples.count
        let summaries = DeviceRoundSummary.summarise(pings.map(\.1))
        let (writes, folds) = deviceStates.withLock { $0.plan(summaries) }
        let devices = try await DeviceStateUpdate.run(writes: writes, folds: folds, on: connection, logger: logger)
        outcome.unknownDeviceRows = pings.filter { !devices.known.contains($0.1.deviceID) }.count
        outcome.stateChanges = devices.changes
        try await updateItems(samples.map(\.1), on: connection)
        try await InterfaceStateWriter(logger: logger).write(samples.map(\.1), on: connection)
        return devices
    }

    private func ensurePartitions(table: String, days timestamps: [Date], on connection: PostgresConnection)
        async throws
    {
        let days = Set(timestamps.map(PartitionMaintenance.utcDay))
        let missing = knownPartitionDays.withLock { known in days.filter { !known.contains("\(table):\($0)") } }
        guard !missing.isEmpty else { return }
        try await partitions.ensure(days: missing, of: table, on: connection)
        knownPartitionDays.withLock { known in
            for day in missing { known.insert("\(table):\(day)") }
        }
    }

    private func copyPings(_ pings: [(AgentID, PingRoundResult)], on connection: PostgresConnection) async throws {
        guard !pings.isEmpty else { return }
        try await connection.copyFrom(
            table: "ping_results",
            columns: [
                "device_id", "agent_id", "device_ip", "packets_sent", "packets_received", "packet_loss_percent",
                "min_rtt_ms", "avg_rtt_ms", "max_rtt_ms", "stddev_rtt_ms", "is_reachable", "timestamp",
            ],
            logger: logger
        ) { writer in
            let sender = CopyDataSender(writer: writer, connection: connection)
            var encoder = CopyTextEncoder()
            for (agent, ping) in pings {
                encoder.uuid(ping.deviceID.uuid)
                encoder.uuid(agent.uuid)
                encoder.text(ping.deviceIP)
                encoder.integer(ping.packetsSent)
                encoder.integer(ping.packetsReceived)
                encoder.double(ping.lossPercent)
                encoder.double(ping.minRTT)
                encoder.double(ping.avgRTT)
                encoder.double(ping.maxRTT)
                encoder.double(ping.stddevRTT)
                encoder.bool(ping.isReachable)
                encoder.timestamp(ping.timestamp)
                encoder.endRow()
                if encoder.buffer.readableBytes >= 1 << 20 { try await sender.send(encoder.take()) }
            }
            if encoder.buffer.readableBytes > 0 { try await sender.send(encoder.take()) }
            await sender.finish()
        }
    }

    private func copySamples(_ samples: [(AgentID, ItemSample)], on connection: PostgresConnection) async throws {
        guard !samples.isEmpty else { return }
        try await connection.copyFrom(
            table: "item_history",
            columns: [
                "item_id", "device_id", "agent_id", "value_type", "value_numeric", "value_text", "rate", "error",
                "timestamp", "instance_key", "instance_label",
            ],
            logger: logger
        ) { writer in
            let sender = CopyDataSender(writer: writer, connection: connection)
            var encoder = CopyTextEncoder()
            for (agent, sample) in samples {
                encoder.uuid(sample.itemID.uuid)
                encoder.uuid(sample.deviceID.uuid)
                encoder.uuid(agent.uuid)
                encoder.text(sample.value?.typeName ?? "error")
                encoder.double(sample.value?.numericValue)
                encoder.text(sample.value.map(\.textValue))
                encoder.double(sample.rate)
                encoder.text(sample.error)
                encoder.timestamp(sample.timestamp)
                encoder.text(sample.instance?.key)
                encoder.text(sample.instance?.label)
                encoder.endRow()
                if encoder.buffer.readableBytes >= 1 << 20 { try await sender.send(encoder.take()) }
            }
            if encoder.buffer.readableBytes > 0 { try await sender.send(encoder.take()) }
            await sender.finish()
        }
    }

    /// Sets `monitoring_items.last_poll/last_value/last_error` from each item's newest sample.
    private func updateItems(_ samples: [ItemSample], on connection: PostgresConnection) async throws {
        var newest: [ItemID: ItemSample] = [:]
        for sample in samples where newest[sample.itemID].map({ $0.timestamp <= sample.timestamp }) ?? true {
            newest[sample.itemID] = sample
        }
        guard !newest.isEmpty else { return }
        let items = Array(newest.values)
        let ids = items.map(\.itemID.uuid)
        let polled = items.map(\.timestamp)
        let hasValue = items.map { $0.value != nil && $0.error == nil }
        let values = items.map { $0.value?.textValue ?? "" }
        let errors = items.map { $0.error ?? "" }
        try await connection.query(
            """
            UPDATE monitoring_items m SET
                last_poll = u.polled,
                last_value = CASE WHEN u.has_value THEN u.value ELSE m.last_value END,
                last_error = CASE WHEN u.has_value THEN NULL ELSE u.error END
            FROM unnest(\(ids)::uuid[], \(polled)::timestamptz[], \(hasValue)::bool[], \(values)::text[], \(errors)::text[])
                AS u(id, polled, has_value, value, error)
            WHERE m.id = u.id AND (m.last_poll IS NULL OR m.last_poll <= u.polled)
            """, logger: logger)
    }
}
