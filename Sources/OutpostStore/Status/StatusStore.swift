import Foundation
import Logging
import PostgresNIO

/// Read-only queries behind the collector's operator API and `outpost-collector status`.
public struct StatusStore: Sendable {
    /// A query named something that does not exist.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// `devices(branch:)` was given a branch name no branch has.
        case unknownBranch(String)

        public var description: String {
            switch self {
            case .unknownBranch(let name): "no branch named \(name.debugDescription)"
            }
        }
    }

    let logger: Logger

    /// Creates a store logging to `logger`.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// Every enrolled agent, by branch name then enrolment time.
    public func agents(on connection: PostgresConnection) async throws -> [AgentStatus] {
        let rows = try await connection.query(
            """
            SELECT a.id, a.name, b.name AS branch, a.status, a.last_seen, a.last_address, a.version, a.cert_serial,
                   a.cert_not_after, a.enrolled_at, a.config_version_acked, a.spool_backlog_batches, a.dropped_results_total,
                   \(unescaped: AgentHealthStatus.selectList)
            FROM agents a JOIN branches b ON b.id = a.branch_id LEFT JOIN agent_health h ON h.agent_id = a.id
            ORDER BY b.name, a.enrolled_at, a.id
            """, logger: logger)
        var agents: [AgentStatus] = []
        for try await row in rows {
            let columns = row.makeRandomAccess()
            agents.append(
                AgentStatus(
                    id: try Self.text(of: columns["id"].decode(UUID.self)),
                    name: try columns["name"].decode(String?.self),
                    branch: try columns["branch"].decode(String.self),
                    status: try columns["status"].decode(String.self),
                    lastSeen: try columns["last_seen"].decode(Date?.self),
                    lastAddress: try columns["last_address"].decode(String?.self),
                    version: try columns["version"].decode(String?.self),
                    certificateSerial: try columns["cert_serial"].decode(String.self),
                    certificateNotAfter: try columns["cert_not_after"].decode(Date.self),
                    enrolledAt: try columns["enrolled_at"].decode(Date.self),
                    configVersionAcknowledged: try columns["config_version_acked"].decode(String?.self),
                    spoolBacklogBatches: try columns["spool_backlog_batches"].decode(Int64.self),
                    droppedResultsTotal: try columns["dropped_results_total"].decode(Int64.self),
                    health: try AgentHealthStatus(columns: columns)))
        }
        return agents
    }

    /// Every branch by name, with its active agents and its enabled devices counted by state.
    public func branches(on connection: PostgresConnection) async throws -> [BranchStatus] {
        let rows = try await connection.query(
            """
            WITH device_states AS (
                SELECT d.branch_id, \(unescaped: DeviceState.sql) AS state
                FROM standalone_devices d WHERE d.enabled AND d.branch_id IS NOT NULL
            )
            SELECT b.id, b.name, b.display_name, b.region, b.is_active,
                   (SELECT count(*) FROM agents a WHERE a.branch_id = b.id AND a.status = 'active') AS agents,
                   count(s.state) AS total,
                   count(*) FILTER (WHERE s.state = 'up') AS up,
                   count(*) FILTER (WHERE s.state = 'down') AS down,
                   count(*) FILTER (WHERE s.state = 'unknown') AS unknown
            FROM branches b LEFT JOIN device_states s ON s.branch_id = b.id
            GROUP BY b.id
            ORDER BY b.name
            """, logger: logger)
        var branches: [BranchStatus] = []
        for try await row in rows {
            let columns = row.makeRandomAccess()
            branches.append(
                BranchStatus(
                    id: try Self.text(of: columns["id"].decode(UUID.self)),
                    name: try columns["name"].decode(String.self),
                    displayName: try columns["display_name"].decode(String.self),
                    region: try columns["region"].decode(String?.self),
                    isActive: try columns["is_active"].decode(Bool.self),
                    agents: try columns["agents"].decode(Int.self),
                    devices: DeviceCounts(
                        total: try columns["total"].decode(Int.self), up: try columns["up"].decode(Int.self),
                        down: try columns["down"].decode(Int.self), unknown: try columns["unknown"].decode(Int.self))))
        }
        return branches
    }

    /// Every device (of `branch` when given, by name), by branch then name, with its newest ping round.
    ///
    /// The newest round is looked up at or after `last_probe_at`, which ingest keeps at the
    /// newest round it stored: the daily partitions are scanned newest first and the scan stops
    /// at that round, so a device costs an index probe per partition ahead of it (the ones
    /// created in advance, empty), never a walk through the retention window. RTTs come rounded
    /// to 0.1 µs and loss to 0.01 %: the REAL columns carry no more precision than that.
    ///
    /// - Throws: ``Failure/unknownBranch(_:)`` when `branch` names no branch.
    public func devices(branch: String? = nil, on connection: PostgresConnection) async throws -> [DeviceStatus] {
        let rows = try await connection.query(
            """
            SELECT d.id, d.name, d.ip, b.name AS branch, d.device_type, d.enabled, \(unescaped: DeviceState.sql) AS state,
                   d.last_seen, d.down_since, d.last_probe_at,
                   p.timestamp AS ping_at, p.is_reachable, p.packets_sent, p.packets_received, p.packet_loss_percent,
                   p.avg_rtt_ms, p.min_rtt_ms, p.max_rtt_ms
            FROM standalone_devices d
            LEFT JOIN branches b ON b.id = d.branch_id
            LEFT JOIN LATERAL (
                SELECT r.timestamp, r.is_reachable, r.packets_sent, r.packets_received,
                       round(r.packet_loss_percent::numeric, 2)::float8 AS packet_loss_percent,
                       round(r.avg_rtt_ms::numeric, 4)::float8 AS avg_rtt_ms,
                       round(r.min_rtt_ms::numeric, 4)::float8 AS min_rtt_ms,
                       round(r.max_rtt_ms::numeric, 4)::float8 AS max_rtt_ms
                FROM ping_results r
                WHERE r.device_id = d.id AND r.timestamp >= d.last_probe_at
                ORDER BY r.timestamp DESC LIMIT 1
            ) p ON true
            WHERE \(branch)::text IS NULL OR b.name = \(branch)
            ORDER BY b.name NULLS LAST, d.name, d.ip, d.id
            """, logger: logger)
        var devices: [DeviceStatus] = []
        for try await row in rows {
            devices.append(try Self.device(row.makeRandomAccess()))
        }
        if let branch, devices.isEmpty, try await !branchExists(branch, on: connection) {
            throw Failure.unknownBranch(branch)
        }
        return devices
    }

    /// Every alert not resolved yet, most severe first, newest first within a severity.
    public func openAlerts(on connection: PostgresConnection) async throws -> [OpenAlert] {
        let rows = try await connection.query(
            """
            SELECT h.id, h.rule_id, coalesce(h.rule_name, r.name) AS rule_name, h.severity, h.message, h.value, h.threshold,
                   h.device_id, d.name AS device_name, b.name AS branch, h.triggered_at, h.acknowledged, h.acknowledged_at
            FROM alert_history h
            JOIN alert_rules r ON r.id = h.rule_id
            LEFT JOIN standalone_devices d ON d.id = h.device_id
            LEFT JOIN branches b ON b.id = coalesce(d.branch_id, r.branch_id)
            WHERE h.resolved_at IS NULL
            ORDER BY array_position(ARRAY['critical', 'high', 'warning', 'medium', 'low', 'info']::text[], h.severity::text),
                     h.triggered_at DESC, h.id
            """, logger: logger)
        var alerts: [OpenAlert] = []
        for try await row in rows {
            let columns = row.makeRandomAccess()
            alerts.append(
                OpenAlert(
                    id: try Self.text(of: columns["id"].decode(UUID.self)),
                    ruleID: try Self.text(of: columns["rule_id"].decode(UUID.self)),
                    ruleName: try columns["rule_name"].decode(String.self),
                    severity: try columns["severity"].decode(String.self),
                    message: try columns["message"].decode(String.self),
                    value: try columns["value"].decode(String?.self),
                    threshold: try columns["threshold"].decode(String?.self),
                    deviceID: try columns["device_id"].decode(UUID?.self).map(Self.text(of:)),
                    deviceName: try columns["device_name"].decode(String?.self),
                    branch: try columns["branch"].decode(String?.self),
                    triggeredAt: try columns["triggered_at"].decode(Date.self),
                    acknowledged: try columns["acknowledged"].decode(Bool.self),
                    acknowledgedAt: try columns["acknowledged_at"].decode(Date?.self)))
        }
        return alerts
    }

    private static func device(_ columns: PostgresRandomAccessRow) throws -> DeviceStatus {
        let stateText = try columns["state"].decode(String.self)
        var latestPing: LatestPing?
        if let pingAt = try columns["ping_at"].decode(Date?.self) {
            latestPing = LatestPing(
                timestamp: pingAt,
                reachable: try columns["is_reachable"].decode(Bool.self),
                packetsSent: try columns["packets_sent"].decode(Int.self),
                packetsReceived: try columns["packets_received"].decode(Int.self),
                lossPercent: try columns["packet_loss_percent"].decode(Double.self),
                rttMs: try columns["avg_rtt_ms"].decode(Double?.self),
                rttMinMs: try columns["min_rtt_ms"].decode(Double?.self),
                rttMaxMs: try columns["max_rtt_ms"].decode(Double?.self))
        }
        return DeviceStatus(
            id: text(of: try columns["id"].decode(UUID.self)),
            name: try columns["name"].decode(String.self),
            ip: try columns["ip"].decode(String.self),
            branch: try columns["branch"].decode(String?.self),
            deviceType: try columns["device_type"].decode(String?.self),
            enabled: try columns["enabled"].decode(Bool.self),
            state: DeviceState(rawValue: stateText) ?? .unknown,
            lastSeen: try columns["last_seen"].decode(Date?.self),
            downSince: try columns["down_since"].decode(Date?.self),
            lastProbeAt: try columns["last_probe_at"].decode(Date?.self),
            latestPing: latestPing)
    }

    private func branchExists(_ name: String, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query("SELECT 1 FROM branches WHERE name = \(name)", logger: logger)
        for try await _ in rows { return true }
        return false
    }

    private static func text(of id: UUID) -> String {
        id.uuidString.lowercased()
    }
}
