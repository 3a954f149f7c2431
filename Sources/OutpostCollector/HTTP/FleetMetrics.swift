import Foundation
import Logging
import Metrics
import OutpostPKI
import OutpostStore
import PostgresNIO
import ServiceLifecycle
import X509

/// Gauges for the operators of Outpost itself (deploy/prometheus, deploy/grafana): the
/// ``FleetHealth`` read from PostgreSQL every `period`, and the expiry of the collector's own
/// certificates. Every collector exports the same fleet gauges (they come from the shared
/// database): dashboards and alerts take their `max` over the collectors.
///
/// Per-branch gauges carry a `branch` label; a branch whose agents are all gone keeps its last
/// values until the collector restarts.
public struct FleetMetrics: Service {
    /// The severities of alert rules (migration 0001's CHECK): each has a gauge, 0 when none is open.
    static let severities = ["critical", "high", "warning", "medium", "low", "info"]

    private let client: PostgresClient
    private let period: Duration
    private let factory: any MetricsFactory
    private let logger: Logger

    /// - Parameters:
    ///   - certificates: expiry dates exported at once as
    ///     `outpost_certificate_expiry_timestamp_seconds{certificate=…}`.
    ///   - period: how often the fleet is read (one round is three aggregate queries).
    public init(
        client: PostgresClient, certificates: [String: Date], period: Duration = .seconds(30),
        factory: any MetricsFactory = MetricsSystem.factory, logger: Logger
    ) {
        self.client = client
        self.period = period
        self.factory = factory
        self.logger = logger
        for (name, expiry) in certificates {
            Gauge(
                label: "outpost_certificate_expiry_timestamp_seconds", dimensions: [("certificate", name)],
                factory: factory
            ).record(expiry.timeIntervalSince1970)
        }
    }

    /// The certificates a collector serves with: its server certificate and the CA's.
    public static func certificates(server: CollectorServerIdentity, authority: CertificateAuthority) -> [String: Date]
    {
        var dates = ["ca": authority.certificate.notValidAfter]
        if let leaf = server.certificateChain.first { dates["server"] = leaf.notValidAfter }
        return dates
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await refresh()
            } catch {
                logger.warning("fleet metrics not refreshed", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: period) }
        }
    }

    /// Reads the fleet once and records every gauge.
    public func refresh(now: Date = Date()) async throws {
        let health = try await client.withConnection(timeout: PostgresClient.callTimeout) { [logger] connection in
            try await StatusStore(logger: logger).fleetHealth(on: connection)
        }
        record(health, now: now)
    }

    func record(_ health: FleetHealth, now: Date) {
        for branch in health.branches {
            let dimensions = [("branch", branch.name)]
            gauge("outpost_branch_agents", dimensions).record(branch.agents)
            gauge("outpost_branch_agent_spool_backlog_batches", dimensions).record(branch.maximumSpoolBacklogBatches)
            gauge("outpost_branch_agent_dropped_results", dimensions).record(branch.droppedResults)
            gauge("outpost_branch_agent_certificate_expiry_timestamp_seconds", dimensions)
                .record(branch.earliestCertificateExpiry.timeIntervalSince1970)
            gauge("outpost_branch_agent_last_seen_timestamp_seconds", dimensions)
                .record(branch.lastSeen?.timeIntervalSince1970 ?? 0)
        }
        gauge("outpost_partitions_missing_tomorrow", []).record(health.tablesMissingTomorrow.count)
        for severity in Self.severities {
            gauge("outpost_alerts_open", [("severity", severity)]).record(health.openAlerts[severity] ?? 0)
        }
        gauge("outpost_fleet_refreshed_timestamp_seconds", []).record(now.timeIntervalSince1970)
    }

    private func gauge(_ label: String, _ dimensions: [(String, String)]) -> Gauge {
        Gauge(label: label, dimensions: dimensions, factory: factory)
    }
}
