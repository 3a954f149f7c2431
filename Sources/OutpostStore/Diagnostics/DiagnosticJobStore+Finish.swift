import Foundation
import OutpostCore
import PostgresNIO

extension DiagnosticJobStore {
    /// Ends a job of `agent` as the agent reported it: with a (validated) report, its hops go
    /// into `traceroute_results` or `mtr_results` and the path is compared with the device's
    /// previous completed trace of the same protocol. A job that already ended is left alone.
    /// Returns `false` when nothing changed.
    @discardableResult
    public func finish(
        _ job: UUID, agent: AgentID, status: DiagnosticJobRecord.Status, report: DiagnosticReport?, detail: String?,
        on connection: PostgresConnection
    ) async throws -> Bool {
        try await end(job, agent: agent, status: status, report: report, detail: detail, on: connection) != nil
    }

    /// Ends a job as ``finish(_:agent:status:report:detail:on:)`` does; returns how it ended
    /// (`nil` when nothing changed), with the path comparison of a completed one.
    public func end(
        _ job: UUID, agent: AgentID, status: DiagnosticJobRecord.Status, report: DiagnosticReport?, detail: String?,
        on connection: PostgresConnection
    ) async throws -> DiagnosticJobEnding? {
        try await connection.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                SELECT j.kind, j.device_id, j.probe_protocol, j.target_ip, d.name FROM diagnostic_jobs j
                JOIN standalone_devices d ON d.id = j.device_id
                WHERE j.id = \(job) AND j.agent_id = \(agent.uuid) AND j.status IN ('dispatched', 'running')
                FOR UPDATE OF j
                """, logger: logger)
            var found: (String, UUID, String, String, String)?
            for try await row in rows.decode((String, UUID, String, String, String).self) { found = row }
            guard let (kind, device, probe, target, name) = found else { return nil }
            guard let report, status == .completed else {
                let updated = try await connection.query(
                    """
                    UPDATE diagnostic_jobs SET status = \(status.rawValue), detail = \(detail), completed_at = now(),
                                               updated_at = now()
                    WHERE id = \(job) RETURNING completed_at
                    """, logger: logger)
                let at = try await Self.completedAt(updated)
                return DiagnosticJobEnding(
                    jobID: job, deviceID: device, status: status, completedAt: at, pathChanged: nil)
            }
            let path = report.path.map { $0 ?? "" }
            let previous = try await previousPath(device: device, probeProtocol: probe, on: connection)
            let changed = previous.map { Self.differs($0.map { $0.isEmpty ? nil : $0 }, report.path) }
            let hops = HopRows(job: job, device: device, agent: agent.uuid, target: target, name: name)
            if kind == DiagnosticJobRecord.Kind.mtr.rawValue {
                try await hops.writeMTR(report, on: connection, logger: logger)
            } else {
                try await hops.writeTraceroute(report, on: connection, logger: logger)
            }
            let updated = try await connection.query(
                """
                UPDATE diagnostic_jobs SET status = 'completed', detail = \(detail), completed_at = now(), updated_at = now(),
                    ending = \(report.ending), hop_count = \(report.hops.count)::integer, path = \(path)::text[],
                    path_changed = \(changed), completed_units = total_units
                WHERE id = \(job) RETURNING completed_at
                """, logger: logger)
            let at = try await Self.completedAt(updated)
            return DiagnosticJobEnding(
                jobID: job, deviceID: device, status: .completed, completedAt: at, pathChanged: changed)
        }
    }

    private static func completedAt(_ rows: PostgresRowSequence) async throws -> Date {
        for try await at in rows.decode(Date.self) { return at }
        return Date()  // the row is locked by this transaction: UPDATE … RETURNING returns it
    }

    /// The path of the device's newest completed job of `probeProtocol`.
    private func previousPath(device: UUID, probeProtocol: String, on connection: PostgresConnection) async throws
        -> [String]?
    {
        let rows = try await connection.query(
            """
            SELECT path FROM diagnostic_jobs
            WHERE device_id = \(device) AND probe_protocol = \(probeProtocol) AND status = 'completed' AND path IS NOT NULL
            ORDER BY completed_at DESC LIMIT 1
            """, logger: logger)
        for try await path in rows.decode([String].self) { return path }
        return nil
    }

    /// Whether two paths differ: in length, or in a hop both heard from (a hop silent in one of
    /// them is loss, not a change).
    static func differs(_ old: [String?], _ new: [String?]) -> Bool {
        guard old.count == new.count else { return true }
        return zip(old, new).contains { previous, current in
            guard let previous, let current else { return false }
            return previous != current
        }
    }
}

/// Writes the hop rows of one job.
private struct HopRows {
    let job: UUID
    let device: UUID
    let agent: UUID
    let target: String
    let name: String

    func writeTraceroute(_ report: DiagnosticReport, on connection: PostgresConnection, logger: Logger) async throws {
        for hop in report.hops {
            let rtts = hop.rttsMilliseconds.map { Float($0) }
            let labels = hop.mplsLabels.map { Int32($0) }
            try await connection.query(
                """
                INSERT INTO traceroute_results (device_id, agent_id, device_ip, device_name, hop_number, hop_ip, hop_hostname,
                                                latency_ms, packet_loss, job_id, probes_sent, latencies_ms, reply, mpls_labels)
                VALUES (\(device), \(agent), \(target), \(name), \(hop.number)::integer, \(hop.responder), \(hop.hostname),
                        \(hop.averageMilliseconds.map { Float($0) })::real, \(Float(hop.lossPercent))::real, \(job),
                        \(hop.sent)::integer, \(rtts)::real[], \(hop.reply), \(labels)::integer[])
                """, logger: logger)
        }
    }

    func writeMTR(_ report: DiagnosticReport, on connection: PostgresConnection, logger: Logger) async throws {
        func real(_ value: Double?) -> Float? { value.map { Float($0) } }
        for hop in report.hops {
            try await connection.query(
                """
                INSERT INTO mtr_results (device_id, agent_id, device_ip, device_name, hop_number, hop_ip, hop_hostname,
                                         packets_sent, packets_received, packet_loss_percent, latency_avg, latency_min,
                                         latency_max, latency_stddev, latency_last, latency_jitter, job_id)
                VALUES (\(device), \(agent), \(target), \(name), \(hop.number)::integer, \(hop.responder), \(hop.hostname),
                        \(hop.sent)::integer, \(hop.received)::integer, \(Float(hop.lossPercent))::real,
                        \(real(hop.averageMilliseconds))::real, \(real(hop.bestMilliseconds))::real,
                        \(real(hop.worstMilliseconds))::real, \(real(hop.standardDeviationMilliseconds))::real,
                        \(real(hop.lastMilliseconds))::real, \(real(hop.jitterMilliseconds))::real, \(job))
                """, logger: logger)
        }
    }
}
