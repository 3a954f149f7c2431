import Foundation
import PostgresNIO

extension DiagnosticJobStore {
    /// The job `id`, or `nil`.
    public func job(_ id: UUID, on connection: PostgresConnection) async throws -> DiagnosticJobRecord? {
        try await jobs(id: id, device: nil, limit: 1, on: connection).first
    }

    /// The newest jobs of `device`, newest first.
    public func jobs(device: UUID, limit: Int, on connection: PostgresConnection) async throws
        -> [DiagnosticJobRecord]
    {
        try await jobs(id: nil, device: device, limit: limit, on: connection)
    }

    private func jobs(id: UUID?, device: UUID?, limit: Int, on connection: PostgresConnection) async throws
        -> [DiagnosticJobRecord]
    {
        let rows = try await connection.query(
            """
            SELECT j.id, j.device_id, d.name, j.kind, j.probe_protocol, j.port, j.cycles, j.trigger, j.status,
                   j.agent_id, j.alert_history_id, j.cancel_requested, j.completed_units, j.total_units, j.target_ip,
                   j.ending, j.hop_count, j.path, j.path_changed, j.detail, j.created_at, j.dispatched_at, j.completed_at,
                   j.resolve_names
            FROM diagnostic_jobs j JOIN standalone_devices d ON d.id = j.device_id
            WHERE (\(id)::uuid IS NULL OR j.id = \(id)) AND (\(device)::uuid IS NULL OR j.device_id = \(device))
            ORDER BY j.created_at DESC, j.id LIMIT \(limit)
            """, logger: logger)
        var jobs: [DiagnosticJobRecord] = []
        for try await (
            id, device, name, kind, probe, port, cycles, trigger, status, agent, alert, cancel, completed, total,
            target,
            ending, hops, path, changed, detail, created, dispatched, completedAt, resolve
        )
            in rows.decode(
                (
                    UUID, UUID, String, String, String, Int32, Int32, String, String, UUID?, UUID?, Bool, Int32, Int32?,
                    String, String?, Int32?, [String]?, Bool?, String?, Date, Date?, Date?, Bool
                ).self)
        {
            jobs.append(
                DiagnosticJobRecord(
                    id: id, deviceID: device, deviceName: name, kind: .init(rawValue: kind) ?? .traceroute,
                    probeProtocol: probe, port: Int(port), cycles: Int(cycles),
                    trigger: .init(rawValue: trigger) ?? .api,
                    status: .init(rawValue: status) ?? .failed, agentID: agent, alertHistoryID: alert,
                    cancelRequested: cancel, completedUnits: Int(completed), totalUnits: total.map(Int.init),
                    targetIP: target, resolveNames: resolve, ending: ending, hopCount: hops.map(Int.init),
                    path: path.map { $0.map { $0.isEmpty ? nil : $0 } }, pathChanged: changed, detail: detail,
                    createdAt: created, dispatchedAt: dispatched, completedAt: completedAt))
        }
        return jobs
    }

    /// The device's jobs completed in `[before - seconds, before)`, at most the newest `limit`,
    /// oldest first: what the alert engine replays into `path_changed` when it first sees the device.
    public func completedTraces(
        device: UUID, before: Date, seconds: Double, limit: Int = 100, on connection: PostgresConnection
    ) async throws -> [DiagnosticJobEnding] {
        let since = before.addingTimeInterval(-seconds)
        let rows = try await connection.query(
            """
            SELECT id, completed_at, path_changed FROM (
                SELECT id, completed_at, path_changed FROM diagnostic_jobs
                WHERE device_id = \(device) AND status = 'completed' AND completed_at < \(before)
                  AND completed_at >= \(since)
                ORDER BY completed_at DESC LIMIT \(limit)) newest
            ORDER BY completed_at
            """, logger: logger)
        var endings: [DiagnosticJobEnding] = []
        for try await (id, at, changed) in rows.decode((UUID, Date, Bool?).self) {
            endings.append(
                DiagnosticJobEnding(
                    jobID: id, deviceID: device, status: .completed, completedAt: at, pathChanged: changed))
        }
        return endings
    }

    /// The hops a completed job wrote, in hop order.
    public func hops(of job: DiagnosticJobRecord, on connection: PostgresConnection) async throws
        -> [DiagnosticHopRecord]
    {
        var hops: [DiagnosticHopRecord] = []
        // Rows are written at the job's completion, so its day's partition holds them.
        let since = (job.completedAt ?? job.createdAt).addingTimeInterval(-60)
        switch job.kind {
        case .traceroute:
            let rows = try await connection.query(
                """
                SELECT hop_number, hop_ip, hop_hostname, probes_sent, packet_loss, latency_ms, latencies_ms, reply, mpls_labels
                FROM traceroute_results WHERE job_id = \(job.id) AND timestamp >= \(since) ORDER BY hop_number
                """, logger: logger)
            for try await (number, address, hostname, sent, loss, average, rtts, reply, labels) in rows.decode(
                (Int32, String?, String?, Int32?, Float, Float?, [Float]?, String?, [Int32]?).self)
            {
                let values = (rtts ?? []).map(Double.init)
                hops.append(
                    DiagnosticHopRecord(
                        number: Int(number), address: address, hostname: hostname, sent: Int(sent ?? 0),
                        received: values.count, lossPercent: Double(loss), lastMilliseconds: values.last,
                        averageMilliseconds: average.map(Double.init), bestMilliseconds: values.min(),
                        worstMilliseconds: values.max(), standardDeviationMilliseconds: nil, jitterMilliseconds: nil,
                        rttsMilliseconds: values, reply: reply, mplsLabels: (labels ?? []).map(Int.init)))
            }
        case .mtr:
            let rows = try await connection.query(
                """
                SELECT hop_number, hop_ip, hop_hostname, packets_sent, packets_received, packet_loss_percent,
                       latency_last, latency_avg, latency_min, latency_max, latency_stddev, latency_jitter
                FROM mtr_results WHERE job_id = \(job.id) AND timestamp >= \(since) ORDER BY hop_number
                """, logger: logger)
            for try await (
                number, address, hostname, sent, received, loss, last, average, best, worst, deviation, jitter
            )
                in rows.decode(
                    (Int32, String?, String?, Int32, Int32, Float, Float?, Float?, Float?, Float?, Float?, Float?).self)
            {
                hops.append(
                    DiagnosticHopRecord(
                        number: Int(number), address: address, hostname: hostname, sent: Int(sent),
                        received: Int(received), lossPercent: Double(loss), lastMilliseconds: last.map(Double.init),
                        averageMilliseconds: average.map(Double.init), bestMilliseconds: best.map(Double.init),
                        worstMilliseconds: worst.map(Double.init),
                        standardDeviationMilliseconds: deviation.map(Double.init),
                        jitterMilliseconds: jitter.map(Double.init), rttsMilliseconds: [], reply: nil, mplsLabels: []))
            }
        }
        return hops
    }
}
