import Foundation
import Logging
import OutpostCore
import PostgresNIO

/// The life of `diagnostic_jobs`: created on demand, per schedule or when a device goes down,
/// claimed for a connected agent of the device's branch with `FOR UPDATE SKIP LOCKED` (so
/// several collectors never dispatch one job twice), progress recorded, and ended exactly once
/// with its hops written (``DiagnosticJobStore/finish(_:agent:status:report:detail:on:)``).
public struct DiagnosticJobStore: Sendable {
    let logger: Logger

    /// Creates a store logging to `logger`.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// The device named by `text`: its id, or its exact name or address when one device has it.
    /// - Throws: ``DiagnosticStoreError/unknownDevice(_:)`` when none or several match.
    public func device(_ text: String, on connection: PostgresConnection) async throws -> UUID {
        let trimmed = String(text.prefix(200))
        if let id = UUID(uuidString: trimmed) {
            let rows = try await connection.query(
                "SELECT id FROM standalone_devices WHERE id = \(id)", logger: logger)
            for try await found in rows.decode(UUID.self) { return found }
            throw DiagnosticStoreError.unknownDevice(trimmed)
        }
        let rows = try await connection.query(
            "SELECT id FROM standalone_devices WHERE name = \(trimmed) OR ip = \(trimmed) LIMIT 2", logger: logger)
        var found: [UUID] = []
        for try await id in rows.decode(UUID.self) { found.append(id) }
        guard found.count == 1 else { throw DiagnosticStoreError.unknownDevice(trimmed) }
        return found[0]
    }

    /// The `audit_log` entity of operators' diagnostic jobs.
    static let auditEntity = "diagnostic_job"

    /// Creates a pending job for `device`; returns its id. With `actor` (an operator's request)
    /// the run is audited; jobs the collector creates itself (down, schedule) are not.
    public func create(
        device: UUID, _ request: DiagnosticRequest, by actor: AuditActor? = nil, on connection: PostgresConnection
    ) async throws -> UUID {
        try await connection.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                INSERT INTO diagnostic_jobs (device_id, kind, probe_protocol, port, cycles, trigger, alert_history_id,
                                             target_ip, total_units, resolve_names)
                SELECT id, \(request.kind.rawValue), \(request.probeProtocol), \(request.port)::integer,
                       \(request.cycles)::integer, \(request.trigger.rawValue), \(request.alertHistoryID), ip,
                       \(request.cycles)::integer, \(request.resolveNames)
                FROM standalone_devices WHERE id = \(device)
                RETURNING id
                """, logger: logger)
            var created: UUID?
            for try await id in rows.decode(UUID.self) { created = id }
            guard let created else { throw DiagnosticStoreError.unknownDevice(device.uuidString.lowercased()) }
            if let actor {
                try await AuditLog(logger: logger).append(
                    .diff(
                        action: "run", entity: Self.auditEntity, entityID: created.uuidString.lowercased(),
                        before: [:],
                        after: [
                            "device_id": .text(device.uuidString.lowercased()), "kind": .text(request.kind.rawValue),
                            "protocol": .text(request.probeProtocol), "trigger": .text(request.trigger.rawValue),
                        ]),
                    by: actor, on: connection)
            }
            return created
        }
    }

    /// Claims up to `limit` pending jobs whose device's branch has an active agent among
    /// `agents`, marks them dispatched to it and returns them. Locked jobs are skipped.
    public func claimPending(for agents: Set<AgentID>, limit: Int = 32, on connection: PostgresConnection)
        async throws -> [ClaimedDiagnosticJob]
    {
        guard !agents.isEmpty else { return [] }
        let agentIDs = agents.map(\.uuid)
        return try await connection.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                SELECT j.id, a.id, j.kind, j.probe_protocol, j.port, j.cycles, j.target_ip, j.resolve_names
                FROM diagnostic_jobs j
                JOIN standalone_devices d ON d.id = j.device_id
                CROSS JOIN LATERAL (
                    SELECT a.id FROM agents a
                    WHERE a.status = 'active' AND a.id = ANY(\(agentIDs)::uuid[]) AND a.branch_id = d.branch_id
                    ORDER BY a.id LIMIT 1) a
                WHERE j.status = 'pending' AND NOT j.cancel_requested
                ORDER BY j.created_at, j.id
                LIMIT \(limit)
                FOR UPDATE OF j SKIP LOCKED
                """, logger: logger)
            var claimed: [ClaimedDiagnosticJob] = []
            for try await (job, agent, kind, probe, port, cycles, target, resolve) in rows.decode(
                (UUID, UUID, String, String, Int32, Int32, String, Bool).self)
            {
                claimed.append(
                    ClaimedDiagnosticJob(
                        jobID: job, agentID: agent, kind: DiagnosticJobRecord.Kind(rawValue: kind) ?? .traceroute,
                        probeProtocol: probe, port: Int(port), cycles: Int(cycles), targetIP: target,
                        resolveNames: resolve))
            }
            for job in claimed {
                try await connection.query(
                    """
                    UPDATE diagnostic_jobs SET status = 'dispatched', agent_id = \(job.agentID), dispatched_at = now(),
                                               updated_at = now()
                    WHERE id = \(job.jobID)
                    """, logger: logger)
            }
            return claimed
        }
    }

    /// Puts a dispatched job back to pending (the Job could not be sent).
    public func returnToPending(_ job: UUID, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE diagnostic_jobs SET status = 'pending', agent_id = NULL, dispatched_at = NULL, updated_at = now()
            WHERE id = \(job) AND status = 'dispatched'
            """, logger: logger)
    }

    /// Fails pending jobs that no collector could dispatch within `seconds`: their device's
    /// branch has no connected agent (or the device has no branch). Returns them.
    @discardableResult
    public func failUndispatchable(olderThan seconds: Int, on connection: PostgresConnection) async throws -> [UUID] {
        let rows = try await connection.query(
            """
            UPDATE diagnostic_jobs j SET status = 'failed', completed_at = now(), updated_at = now(),
                detail = CASE WHEN d.branch_id IS NULL THEN 'the device belongs to no branch, so no agent can trace it'
                              ELSE 'no agent of branch ' || coalesce(b.name, d.branch_id::text) || ' is connected' END
            FROM standalone_devices d LEFT JOIN branches b ON b.id = d.branch_id
            WHERE d.id = j.device_id AND j.status = 'pending'
              AND (d.branch_id IS NULL OR j.created_at < now() - make_interval(secs => \(seconds)::integer))
            RETURNING j.id
            """, logger: logger)
        var failed: [UUID] = []
        for try await id in rows.decode(UUID.self) { failed.append(id) }
        return failed
    }

    /// Records an agent's progress; `false` when the job is not an unfinished job of `agent`.
    @discardableResult
    public func recordProgress(
        _ job: UUID, agent: AgentID, completed: Int, total: Int?, on connection: PostgresConnection
    ) async throws -> Bool {
        let rows = try await connection.query(
            """
            UPDATE diagnostic_jobs SET status = 'running', completed_units = greatest(completed_units, \(completed)::integer),
                                       total_units = coalesce(\(total)::integer, total_units), updated_at = now()
            WHERE id = \(job) AND agent_id = \(agent.uuid) AND status IN ('dispatched', 'running')
            RETURNING id
            """, logger: logger)
        for try await _ in rows.decode(UUID.self) { return true }
        return false
    }

    /// Fails the unfinished jobs among `jobs` with `reason`; returns those it failed.
    @discardableResult
    public func fail(_ jobs: [UUID], reason: String, on connection: PostgresConnection) async throws -> [UUID] {
        guard !jobs.isEmpty else { return [] }
        let rows = try await connection.query(
            """
            UPDATE diagnostic_jobs SET status = 'failed', detail = \(reason), completed_at = now(), updated_at = now()
            WHERE id = ANY(\(jobs)::uuid[]) AND status IN ('pending', 'dispatched', 'running')
            RETURNING id
            """, logger: logger)
        var failed: [UUID] = []
        for try await id in rows.decode(UUID.self) { failed.append(id) }
        return failed
    }

    /// Fails dispatched or running jobs with no report for `seconds` (their collector died).
    @discardableResult
    public func failSilent(olderThan seconds: Int, on connection: PostgresConnection) async throws -> [UUID] {
        let rows = try await connection.query(
            """
            UPDATE diagnostic_jobs SET status = 'failed', completed_at = now(), updated_at = now(),
                                       detail = 'the agent stopped reporting'
            WHERE status IN ('dispatched', 'running') AND updated_at < now() - make_interval(secs => \(seconds)::integer)
            RETURNING id
            """, logger: logger)
        var failed: [UUID] = []
        for try await id in rows.decode(UUID.self) { failed.append(id) }
        return failed
    }

    /// Among `jobs`, those whose cancellation was requested and that have not ended.
    public func cancelRequested(among jobs: [UUID], on connection: PostgresConnection) async throws -> [UUID] {
        guard !jobs.isEmpty else { return [] }
        let rows = try await connection.query(
            """
            SELECT id FROM diagnostic_jobs
            WHERE id = ANY(\(jobs)::uuid[]) AND cancel_requested AND status IN ('dispatched', 'running')
            """, logger: logger)
        var found: [UUID] = []
        for try await id in rows.decode(UUID.self) { found.append(id) }
        return found
    }

    /// Cancels a pending job at once, or asks the agent of a running one to stop.
    /// - Throws: ``DiagnosticStoreError`` for an unknown or finished job.
    public func requestCancel(_ job: UUID, by actor: AuditActor, on connection: PostgresConnection) async throws
        -> DiagnosticJobRecord.Status
    {
        try await connection.transaction(logger: logger) { connection in
            let status = try await cancel(job, on: connection)
            try await AuditLog(logger: logger).append(
                AuditEntry(action: "cancel", entity: Self.auditEntity, entityID: job.uuidString.lowercased()),
                by: actor, on: connection)
            return status
        }
    }

    private func cancel(_ job: UUID, on connection: PostgresConnection) async throws -> DiagnosticJobRecord.Status {
        let rows = try await connection.query(
            """
            UPDATE diagnostic_jobs SET
                status = CASE WHEN status = 'pending' THEN 'cancelled' ELSE status END,
                completed_at = CASE WHEN status = 'pending' THEN now() ELSE completed_at END,
                detail = CASE WHEN status = 'pending' THEN 'cancelled before dispatch' ELSE detail END,
                cancel_requested = TRUE, updated_at = now()
            WHERE id = \(job) AND status IN ('pending', 'dispatched', 'running')
            RETURNING status
            """, logger: logger)
        for try await status in rows.decode(String.self) {
            return DiagnosticJobRecord.Status(rawValue: status) ?? .running
        }
        guard try await self.job(job, on: connection) != nil else {
            throw DiagnosticStoreError.unknownJob(job.uuidString.lowercased())
        }
        throw DiagnosticStoreError.jobFinished(job.uuidString.lowercased())
    }
}

/// A job claimed for dispatch.
public struct ClaimedDiagnosticJob: Sendable, Equatable {
    public var jobID: UUID
    public var agentID: UUID
    public var kind: DiagnosticJobRecord.Kind
    public var probeProtocol: String
    public var port: Int
    public var cycles: Int
    public var targetIP: String
    /// Whether the agent resolves the hop addresses to names.
    public var resolveNames: Bool
}
