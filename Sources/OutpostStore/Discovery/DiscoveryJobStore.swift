import Foundation
import Logging
import OutpostCore
import PostgresNIO

/// The life of `discovery_jobs`: created on demand or per schedule slot, claimed for a connected
/// agent with `FOR UPDATE SKIP LOCKED` (so several collectors never dispatch one job twice),
/// counters updated as the agent reports, and ended exactly once.
public struct DiscoveryJobStore: Sendable {
    private let logger: Logger

    /// Creates a store logging to `logger`.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// Creates a pending job for `rule`. With `scheduledFor`, at most one job is created per
    /// rule and slot whoever asks: returns `nil` when the slot already has its job.
    @discardableResult
    public func createJob(rule: UUID, triggeredBy: String, scheduledFor: Date? = nil, on connection: PostgresConnection)
        async throws -> UUID?
    {
        let rows = try await connection.query(
            """
            INSERT INTO discovery_jobs (rule_id, triggered_by, scheduled_for, updated_at)
            VALUES (\(rule), \(triggeredBy), \(scheduledFor), now())
            ON CONFLICT (rule_id, scheduled_for) WHERE scheduled_for IS NOT NULL DO NOTHING
            RETURNING id
            """, logger: logger)
        for try await id in rows.decode(UUID.self) { return id }
        return nil
    }

    /// Claims up to `limit` pending jobs whose rule one of `agents` sweeps (its agent, or an
    /// agent of its branch), marks them dispatched to that agent and returns them with their rules.
    /// Jobs another transaction holds are skipped, not waited for.
    public func claimPending(for agents: Set<AgentID>, limit: Int = 16, on connection: PostgresConnection) async throws
        -> [ClaimedDiscoveryJob]
    {
        guard !agents.isEmpty else { return [] }
        let agentIDs = agents.map(\.uuid)
        let claimed: [(UUID, UUID)] = try await connection.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                SELECT j.id, a.id FROM discovery_jobs j
                JOIN discovery_rules r ON r.id = j.rule_id
                CROSS JOIN LATERAL (
                    SELECT a.id FROM agents a
                    WHERE a.status = 'active' AND a.id = ANY(\(agentIDs)::uuid[])
                      AND (a.id = r.agent_id OR (r.agent_id IS NULL AND a.branch_id = r.branch_id))
                    ORDER BY a.id LIMIT 1) a
                WHERE j.status = 'pending' AND NOT j.cancel_requested
                ORDER BY j.started_at, j.id
                LIMIT \(limit)
                FOR UPDATE OF j SKIP LOCKED
                """, logger: logger)
            var claimed: [(UUID, UUID)] = []
            for try await pair in rows.decode((UUID, UUID).self) { claimed.append(pair) }
            for (job, agent) in claimed {
                try await connection.query(
                    """
                    UPDATE discovery_jobs SET status = 'dispatched', agent_id = \(agent), dispatched_at = now(), updated_at = now(),
                                              error_message = NULL
                    WHERE id = \(job)
                    """, logger: logger)
            }
            return claimed
        }
        let rules = DiscoveryRuleStore(logger: logger)
        var jobs: [ClaimedDiscoveryJob] = []
        for (job, agent) in claimed {
            guard let record = try await self.job(job, on: connection) else { continue }
            jobs.append(
                ClaimedDiscoveryJob(
                    jobID: job, rule: try await rules.rule(record.ruleID.uuidString, on: connection), agentID: agent))
        }
        return jobs
    }

    /// Puts a dispatched job back to pending (the Job could not be sent); it is claimed again later.
    public func returnToPending(_ job: UUID, reason: String, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE discovery_jobs SET status = 'pending', agent_id = NULL, dispatched_at = NULL, updated_at = now(), error_message = \(reason)
            WHERE id = \(job) AND status = 'dispatched'
            """, logger: logger)
    }

    /// Records the agent's progress: the job is running with these counters.
    /// Returns `false` when the job is not an unfinished job of `agent` (a late or foreign report).
    @discardableResult
    public func recordProgress(
        _ job: UUID, agent: AgentID, scanned: Int, total: Int?, on connection: PostgresConnection
    ) async throws -> Bool {
        let rows = try await connection.query(
            """
            UPDATE discovery_jobs SET status = 'running', scanned_ips = greatest(scanned_ips, \(scanned)::integer),
                                      total_ips = coalesce(\(total)::integer, total_ips), updated_at = now()
            WHERE id = \(job) AND agent_id = \(agent.uuid) AND status IN ('dispatched', 'running')
            RETURNING id
            """, logger: logger)
        for try await _ in rows.decode(UUID.self) { return true }
        return false
    }

    /// Ends a job of `agent` as the agent reported; a job that already ended is left alone.
    /// Returns `false` when nothing changed.
    @discardableResult
    public func finish(
        _ job: UUID, agent: AgentID, status: DiscoveryJobRecord.Status, summary: DiscoveryJobSummary?, detail: String?,
        on connection: PostgresConnection
    ) async throws -> Bool {
        let summaryJSON = try summary.map { String(decoding: try $0.encoded(), as: UTF8.self) }
        return try await connection.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                UPDATE discovery_jobs SET
                    status = \(status.rawValue), completed_at = now(), updated_at = now(),
                    duration_seconds = coalesce(\(summary.map { Int($0.durationSeconds.rounded()) })::integer,
                                                extract(epoch FROM now() - coalesce(dispatched_at, started_at))::integer),
                    total_ips = coalesce(\(summary?.total)::integer, total_ips),
                    scanned_ips = coalesce(\(summary?.scanned)::integer, scanned_ips),
                    failed_ips = coalesce(\(summary?.failed)::integer, failed_ips),
                    scan_summary = \(summaryJSON)::jsonb,
                    error_message = CASE WHEN \(status.rawValue) = 'completed' THEN NULL ELSE \(detail) END
                WHERE id = \(job) AND agent_id = \(agent.uuid) AND status IN ('dispatched', 'running')
                RETURNING rule_id, discovered_devices
                """, logger: logger)
            for try await (rule, discovered) in rows.decode((UUID, Int32).self) {
                try await connection.query(
                    """
                    UPDATE discovery_rules SET last_run = now(), last_devices_found = \(discovered)::integer, updated_at = now()
                    WHERE id = \(rule)
                    """, logger: logger)
                return true
            }
            return false
        }
    }

    /// Fails the unfinished jobs among `jobs` with `reason` (their agent went away, or they
    /// stopped reporting); returns those it failed.
    @discardableResult
    public func fail(_ jobs: [UUID], reason: String, on connection: PostgresConnection) async throws -> [UUID] {
        guard !jobs.isEmpty else { return [] }
        let rows = try await connection.query(
            """
            UPDATE discovery_jobs SET status = 'failed', error_message = \(reason), completed_at = now(), updated_at = now(),
                                      duration_seconds = extract(epoch FROM now() - coalesce(dispatched_at, started_at))::integer
            WHERE id = ANY(\(jobs)::uuid[]) AND status IN ('dispatched', 'running')
            RETURNING id
            """, logger: logger)
        var failed: [UUID] = []
        for try await id in rows.decode(UUID.self) { failed.append(id) }
        return failed
    }

    /// Fails dispatched or running jobs that reported nothing for `seconds` (a collector that
    /// dispatched them died, so no session end failed them); returns those it failed.
    @discardableResult
    public func failSilent(olderThan seconds: Int, on connection: PostgresConnection) async throws -> [UUID] {
        let rows = try await connection.query(
            """
            SELECT id FROM discovery_jobs
            WHERE status IN ('dispatched', 'running') AND coalesce(updated_at, started_at) < now() - make_interval(secs => \(seconds)::integer)
            """, logger: logger)
        var silent: [UUID] = []
        for try await id in rows.decode(UUID.self) { silent.append(id) }
        return try await fail(
            silent, reason: "no report from the agent for \(seconds) s; the agent or its collector went away mid-job",
            on: connection)
    }

    /// The audit log's entity name for jobs (the entity id is the job's id).
    public static let auditEntity = "discovery_job"

    /// Creates a pending job for the rule whose id or name is `rule`, asked for by an operator
    /// (`triggeredBy` `manual` or `api`), with its audit entry; returns the job's id.
    public func requestRun(
        rule: String, triggeredBy: String, by actor: AuditActor, on connection: PostgresConnection
    ) async throws -> UUID {
        try await connection.transaction(logger: logger) { connection in
            let record = try await DiscoveryRuleStore(logger: logger).rule(rule, on: connection)
            let rows = try await connection.query(
                """
                INSERT INTO discovery_jobs (rule_id, triggered_by, triggered_by_user, updated_at)
                VALUES (\(record.id), \(triggeredBy), \(actor.userID), now())
                RETURNING id
                """, logger: logger)
            var created: UUID?
            for try await id in rows.decode(UUID.self) { created = id }
            guard let created else { throw DiscoveryStoreError.invalid(field: "rule", reason: "no job was created") }
            try await AuditLog(logger: logger).append(
                .diff(
                    action: "run", entity: Self.auditEntity, entityID: created.uuidString.lowercased(), before: [:],
                    after: [
                        "rule_id": .text(record.id.uuidString.lowercased()), "rule": .text(record.name),
                        "triggered_by": .text(triggeredBy),
                    ]),
                by: actor, on: connection)
            return created
        }
    }

    /// Asks for a job to stop: a pending job is cancelled at once, a dispatched or running one
    /// is flagged for its collector to send JobCancel. Audited; returns the job's status afterwards.
    public func requestCancel(_ job: UUID, by actor: AuditActor, on connection: PostgresConnection) async throws
        -> DiscoveryJobRecord.Status
    {
        try await connection.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                "SELECT status FROM discovery_jobs WHERE id = \(job) FOR UPDATE", logger: logger)
            var found: String?
            for try await status in rows.decode(String.self) { found = status }
            guard let found, let status = DiscoveryJobRecord.Status(rawValue: found) else {
                throw DiscoveryStoreError.unknownJob(job.uuidString.lowercased())
            }
            if !status.isFinished {
                try await AuditLog(logger: logger).append(
                    .diff(
                        action: "cancel", entity: Self.auditEntity, entityID: job.uuidString.lowercased(),
                        before: ["status": .text(status.rawValue)],
                        after: [
                            "status": .text(status == .pending ? "cancelled" : status.rawValue),
                            "cancel_requested": .bool(true),
                        ]),
                    by: actor, on: connection)
            }
            switch status {
            case .pending:
                try await connection.query(
                    """
                    UPDATE discovery_jobs SET status = 'cancelled', cancel_requested = TRUE, completed_at = now(), updated_at = now(),
                                              error_message = 'cancelled before it was dispatched'
                    WHERE id = \(job)
                    """, logger: logger)
                return .cancelled
            case .dispatched, .running:
                try await connection.query(
                    "UPDATE discovery_jobs SET cancel_requested = TRUE WHERE id = \(job)", logger: logger)
                return status
            case .completed, .failed, .cancelled:
                throw DiscoveryStoreError.jobFinished(id: job, status: status.rawValue)
            }
        }
    }

    /// The unfinished jobs among `jobs` whose cancellation was requested.
    public func cancelRequested(among jobs: [UUID], on connection: PostgresConnection) async throws -> [UUID] {
        guard !jobs.isEmpty else { return [] }
        let rows = try await connection.query(
            """
            SELECT id FROM discovery_jobs WHERE id = ANY(\(jobs)::uuid[]) AND cancel_requested AND status IN ('dispatched', 'running')
            """, logger: logger)
        var requested: [UUID] = []
        for try await id in rows.decode(UUID.self) { requested.append(id) }
        return requested
    }

    /// One job, or `nil` when it does not exist.
    public func job(_ id: UUID, on connection: PostgresConnection) async throws -> DiscoveryJobRecord? {
        try await jobs(id: id, limit: 1, on: connection).first
    }

    /// The newest jobs, newest first.
    public func recentJobs(limit: Int = 20, on connection: PostgresConnection) async throws -> [DiscoveryJobRecord] {
        try await jobs(id: nil, limit: limit, on: connection)
    }

    /// The newest jobs of rules swept from a branch in `regions` (see
    /// ``DiscoveryRuleStore/list(inRegions:on:)``), newest first; all when `regions` is `nil`.
    public func recentJobs(limit: Int, inRegions regions: Set<String>?, on connection: PostgresConnection)
        async throws -> [DiscoveryJobRecord]
    {
        try await jobs(id: nil, limit: limit, regions: regions.map(Array.init), on: connection)
    }

    private func jobs(id: UUID?, limit: Int, regions: [String]? = nil, on connection: PostgresConnection)
        async throws -> [DiscoveryJobRecord]
    {
        let rows = try await connection.query(
            """
            SELECT j.id, j.rule_id, r.name, j.status, j.agent_id, j.total_ips, j.scanned_ips, j.discovered_devices, j.imported_devices,
                   j.failed_ips, j.started_at, j.dispatched_at, j.completed_at, j.duration_seconds, j.error_message, j.cancel_requested,
                   j.triggered_by
            FROM discovery_jobs j JOIN discovery_rules r ON r.id = j.rule_id
            WHERE (\(id)::uuid IS NULL OR j.id = \(id))
              AND (\(regions)::text[] IS NULL OR \(unescaped: DiscoveryRuleStore.regionOfRule("j.rule_id")) = ANY(\(regions)::text[]))
            ORDER BY j.started_at DESC, j.id LIMIT \(limit)
            """, logger: logger)
        var jobs: [DiscoveryJobRecord] = []
        for try await (
            id, rule, name, status, agent, total, scanned, discovered, imported,
            failed, created, dispatched, completed, duration, error, cancel, trigger
        )
            in rows.decode(
                (
                    UUID, UUID, String, String, UUID?, Int32, Int32, Int32, Int32,
                    Int32, Date, Date?, Date?, Int32?, String?, Bool, String?
                ).self)
        {
            jobs.append(
                DiscoveryJobRecord(
                    id: id, ruleID: rule, ruleName: name,
                    status: DiscoveryJobRecord.Status(rawValue: status) ?? .failed, agentID: agent,
                    totalIPs: Int(total), scannedIPs: Int(scanned), discoveredDevices: Int(discovered),
                    importedDevices: Int(imported),
                    failedIPs: Int(failed), createdAt: created, dispatchedAt: dispatched, completedAt: completed,
                    durationSeconds: duration.map(Int.init), errorMessage: error,
                    cancelRequested: cancel, triggeredBy: trigger))
        }
        return jobs
    }
}
