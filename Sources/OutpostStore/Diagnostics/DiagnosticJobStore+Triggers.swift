import Foundation
import PostgresNIO

extension DiagnosticJobStore {
    /// Rate limits of traces started because devices went down or alerts with a `trace` action
    /// fired (the two share the budget).
    public struct DownTraceLimits: Sendable {
        /// Traces a branch may start per minute, down and alert ones together (a branch outage
        /// takes its devices down at once).
        public var perBranchPerMinute: Int
        /// Devices that went down longer ago than this are not traced any more.
        public var recentSeconds: Int

        public init(perBranchPerMinute: Int = 5, recentSeconds: Int = 600) {
            self.perBranchPerMinute = perBranchPerMinute
            self.recentSeconds = recentSeconds
        }
    }

    /// Creates a traceroute for each enabled device that went down recently and has none since,
    /// at most `limits.perBranchPerMinute` per branch per minute together with the alert-triggered
    /// ones (the earliest down first), each
    /// linked to the device's newest alert since it went down when there is one. Serialised by
    /// an advisory lock, so collectors sharing the database create each trace once.
    @discardableResult
    public func createDownTriggered(limits: DownTraceLimits = .init(), on connection: PostgresConnection)
        async throws -> [UUID]
    {
        try await connection.transaction(logger: logger) { connection in
            try await connection.query(
                "SELECT pg_advisory_xact_lock(hashtext('outpost.diagnostics.down'))", logger: logger)
            let rows = try await connection.query(
                """
                WITH used AS (
                    SELECT d.branch_id, count(*) AS started FROM diagnostic_jobs j
                    JOIN standalone_devices d ON d.id = j.device_id
                    WHERE j.trigger IN ('down', 'alert') AND j.created_at > now() - interval '1 minute'
                    GROUP BY d.branch_id
                ), candidates AS (
                    SELECT d.id, d.ip, d.branch_id, d.down_since,
                           row_number() OVER (PARTITION BY d.branch_id ORDER BY d.down_since, d.id) AS rank
                    FROM standalone_devices d
                    WHERE d.enabled AND d.branch_id IS NOT NULL AND d.down_since IS NOT NULL
                      AND d.down_since > now() - make_interval(secs => \(limits.recentSeconds)::integer)
                      AND NOT EXISTS (SELECT 1 FROM diagnostic_jobs j
                                      WHERE j.device_id = d.id AND j.trigger = 'down' AND j.created_at >= d.down_since)
                )
                INSERT INTO diagnostic_jobs (device_id, kind, trigger, target_ip, total_units, alert_history_id)
                SELECT c.id, 'traceroute', 'down', c.ip, 1,
                       (SELECT h.id FROM alert_history h WHERE h.device_id = c.id AND h.triggered_at >= c.down_since
                        ORDER BY h.triggered_at DESC LIMIT 1)
                FROM candidates c LEFT JOIN used u ON u.branch_id = c.branch_id
                WHERE c.rank <= \(limits.perBranchPerMinute)::integer - coalesce(u.started, 0)
                RETURNING id
                """, logger: logger)
            var created: [UUID] = []
            for try await id in rows.decode(UUID.self) { created.append(id) }
            return created
        }
    }

    /// What ``traceForAlert(device:alert:limits:on:)`` did.
    public enum AlertTrace: Sendable, Equatable {
        /// A traceroute was created for the alert.
        case created(UUID)
        /// The device's down or alert trace of the last minute was attached to the alert instead.
        case attached(UUID)
        /// The branch's budget of down and alert traces for this minute is spent.
        case rateLimited
        /// The device is disabled, has no branch (no agent can trace it) or does not exist.
        case untraceable
    }

    /// Traces `device` for `alert` (an alert whose rule has a `trace` action fired): a traceroute
    /// linked to the alert, within the branch's budget shared with the down traces
    /// (`limits.perBranchPerMinute`). A down or alert trace of the device created in the last
    /// minute and attached to no alert is attached to this one instead of starting another.
    /// Serialised with ``createDownTriggered(limits:on:)`` by the same advisory lock.
    public func traceForAlert(
        device: UUID, alert: UUID, limits: DownTraceLimits = .init(), on connection: PostgresConnection
    ) async throws -> AlertTrace {
        try await connection.transaction(logger: logger) { connection in
            try await connection.query(
                "SELECT pg_advisory_xact_lock(hashtext('outpost.diagnostics.down'))", logger: logger)
            let attached = try await connection.query(
                """
                UPDATE diagnostic_jobs SET alert_history_id = \(alert), updated_at = now()
                WHERE id = (SELECT id FROM diagnostic_jobs
                            WHERE device_id = \(device) AND trigger IN ('down', 'alert') AND alert_history_id IS NULL
                              AND created_at > now() - interval '1 minute'
                            ORDER BY created_at DESC LIMIT 1)
                RETURNING id
                """, logger: logger)
            for try await id in attached.decode(UUID.self) { return .attached(id) }
            let rows = try await connection.query(
                """
                SELECT d.ip, (SELECT count(*) FROM diagnostic_jobs j JOIN standalone_devices o ON o.id = j.device_id
                              WHERE o.branch_id = d.branch_id AND j.trigger IN ('down', 'alert')
                                AND j.created_at > now() - interval '1 minute')::integer
                FROM standalone_devices d WHERE d.id = \(device) AND d.enabled AND d.branch_id IS NOT NULL
                """, logger: logger)
            var found: (String, Int)?
            for try await row in rows.decode((String, Int).self) { found = row }
            guard let (ip, started) = found else { return .untraceable }
            guard started < limits.perBranchPerMinute else { return .rateLimited }
            let created = try await connection.query(
                """
                INSERT INTO diagnostic_jobs (device_id, kind, trigger, target_ip, total_units, alert_history_id)
                VALUES (\(device), 'traceroute', 'alert', \(ip), 1, \(alert))
                RETURNING id
                """, logger: logger)
            for try await id in created.decode(UUID.self) { return .created(id) }
            return .untraceable
        }
    }

    /// Links traces started because a device went down to the alert that fired for it
    /// afterwards (alerts are evaluated after the state change that started the trace).
    @discardableResult
    public func linkDownAlerts(on connection: PostgresConnection) async throws -> Int {
        let rows = try await connection.query(
            """
            UPDATE diagnostic_jobs j SET alert_history_id = (
                SELECT h.id FROM alert_history h
                WHERE h.device_id = j.device_id AND h.triggered_at >= j.created_at - interval '10 minutes'
                ORDER BY h.triggered_at DESC LIMIT 1)
            WHERE j.trigger = 'down' AND j.alert_history_id IS NULL AND j.created_at > now() - interval '1 hour'
              AND EXISTS (SELECT 1 FROM alert_history h
                          WHERE h.device_id = j.device_id AND h.triggered_at >= j.created_at - interval '10 minutes')
            RETURNING j.id
            """, logger: logger)
        var linked = 0
        for try await _ in rows.decode(UUID.self) { linked += 1 }
        return linked
    }

    /// Creates the jobs of `diagnostic_schedules` that are due: each device of a schedule gets
    /// one job per interval, at a fixed phase within it derived from the device id, so the traces
    /// of a branch are spread over the interval instead of starting together.
    @discardableResult
    public func createScheduled(on connection: PostgresConnection) async throws -> [UUID] {
        try await connection.transaction(logger: logger) { connection in
            try await connection.query(
                "SELECT pg_advisory_xact_lock(hashtext('outpost.diagnostics.schedule'))", logger: logger)
            let rows = try await connection.query(
                """
                INSERT INTO diagnostic_jobs (device_id, kind, probe_protocol, cycles, trigger, target_ip, total_units)
                SELECT d.id, s.kind, s.probe_protocol, s.cycles, 'schedule', d.ip, s.cycles
                FROM diagnostic_schedules s
                JOIN standalone_devices d ON d.id = s.device_id OR (s.device_id IS NULL AND d.device_type = s.device_type)
                WHERE s.enabled AND d.enabled AND d.branch_id IS NOT NULL
                  AND mod(extract(epoch FROM now())::bigint + abs(hashtext(d.id::text))::bigint, s.interval_seconds) < 60
                  AND NOT EXISTS (SELECT 1 FROM diagnostic_jobs j
                                  WHERE j.device_id = d.id AND j.trigger = 'schedule' AND j.kind = s.kind
                                    AND j.created_at > now() - make_interval(secs => s.interval_seconds / 2))
                RETURNING id
                """, logger: logger)
            var created: [UUID] = []
            for try await id in rows.decode(UUID.self) { created.append(id) }
            return created
        }
    }

    /// Adds a schedule for one device or every device of a type; returns its id.
    public func addSchedule(
        device: UUID?, deviceType: String?, kind: DiagnosticJobRecord.Kind, probeProtocol: String, cycles: Int,
        intervalSeconds: Int, on connection: PostgresConnection
    ) async throws -> UUID {
        guard (device == nil) != (deviceType == nil) else {
            throw DiagnosticStoreError.invalid(field: "device", reason: "give a device or a device type, not both")
        }
        guard (60...604_800).contains(intervalSeconds) else {
            throw DiagnosticStoreError.invalid(field: "interval", reason: "must lie in 60...604800 seconds")
        }
        let request = try DiagnosticRequest(
            kind: kind, probeProtocol: probeProtocol, cycles: cycles, trigger: .schedule)
        let rows = try await connection.query(
            """
            INSERT INTO diagnostic_schedules (device_id, device_type, kind, probe_protocol, cycles, interval_seconds)
            VALUES (\(device), \(deviceType.map { String($0.prefix(100)) }), \(kind.rawValue), \(request.probeProtocol),
                    \(request.cycles)::integer, \(intervalSeconds)::integer)
            RETURNING id
            """, logger: logger)
        for try await id in rows.decode(UUID.self) { return id }
        throw DiagnosticStoreError.invalid(field: "schedule", reason: "not created")
    }
}
