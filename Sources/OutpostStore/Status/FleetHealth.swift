import Foundation
import Logging
import PostgresNIO

/// What the operators of Outpost itself watch that no single process sees: the agents of each
/// branch as they last reported, the partitions prepared for tomorrow, the open alerts. Read by
/// every collector for its `/metrics` (docs/operations.md, "Monitoring Outpost").
public struct FleetHealth: Sendable, Equatable {
    /// The active agents of one branch, aggregated.
    public struct Branch: Sendable, Equatable {
        /// The branch's name.
        public var name: String
        /// Active (not revoked) agents.
        public var agents: Int
        /// The largest spool backlog (batches not yet acknowledged) an agent reported.
        public var maximumSpoolBacklogBatches: Int64
        /// Results the agents dropped since they were enrolled (full spool), summed.
        public var droppedResults: Int64
        /// The earliest `notAfter` of the agents' certificates.
        public var earliestCertificateExpiry: Date
        /// The latest time an agent of the branch was seen; `nil` before any session.
        public var lastSeen: Date?
    }

    /// Branches with at least one active agent, by name.
    public var branches: [Branch]
    /// Daily-partitioned tables without a partition for tomorrow (UTC).
    public var tablesMissingTomorrow: [String]
    /// Open (unresolved) alerts by severity.
    public var openAlerts: [String: Int]
}

extension StatusStore {
    /// The ``FleetHealth`` of the installation: three short aggregate queries.
    public func fleetHealth(on connection: PostgresConnection) async throws -> FleetHealth {
        var branches: [FleetHealth.Branch] = []
        let agentRows = try await connection.query(
            """
            SELECT b.name, count(*)::int8 AS agents, max(a.spool_backlog_batches)::int8 AS backlog,
                   sum(a.dropped_results_total)::int8 AS dropped, min(a.cert_not_after) AS expiry,
                   max(a.last_seen) AS last_seen
            FROM agents a JOIN branches b ON b.id = a.branch_id
            WHERE a.status = 'active'
            GROUP BY b.name ORDER BY b.name
            """, logger: logger)
        for try await (name, agents, backlog, dropped, expiry, lastSeen) in agentRows.decode(
            (String, Int64, Int64, Int64, Date, Date?).self)
        {
            branches.append(
                .init(
                    name: name, agents: Int(agents), maximumSpoolBacklogBatches: backlog, droppedResults: dropped,
                    earliestCertificateExpiry: expiry, lastSeen: lastSeen))
        }
        // The daily-partitioned tables (PartitionMaintenance), whatever partitions they have now.
        let daily = PartitionMaintenance.partitionedTables + PartitionMaintenance.minuteRollupTables
        var missing: [String] = []
        let partitionRows = try await connection.query(
            """
            SELECT t FROM unnest(\(daily)::text[]) t
            WHERE to_regclass(quote_ident(t || '_p' || to_char((now() AT TIME ZONE 'UTC')::date + 1, 'YYYYMMDD'))) IS NULL
            ORDER BY 1
            """, logger: logger)
        for try await table in partitionRows.decode(String.self) {
            missing.append(table)
        }
        var open: [String: Int] = [:]
        let alertRows = try await connection.query(
            "SELECT severity, count(*)::int8 FROM alert_history WHERE resolved_at IS NULL GROUP BY severity",
            logger: logger)
        for try await (severity, count) in alertRows.decode((String, Int64).self) {
            open[severity] = Int(count)
        }
        return FleetHealth(branches: branches, tablesMissingTomorrow: missing, openAlerts: open)
    }
}
