import Foundation
import Logging
import PostgresNIO

/// Availability reports (docs/reports.md): per device, branch, region or device type over a
/// range, computed from the ping roll-ups (never the raw rounds) less maintenance windows,
/// with MTTR, MTBF and the outages behind each figure.
public struct ReportStore: Sendable {
    let logger: Logger

    /// Creates the store.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// The availability report over `window` grouped `by`, for the devices of `regions` (`nil`:
    /// every device, also those without a branch or region), listing the outages `listing` asks
    /// for (the figures count every outage either way).
    ///
    /// Its statements run in one transaction (one snapshot) without JIT compilation, which costs
    /// more than these short scans save.
    public func availability(
        _ window: ReportWindow, by grouping: ReportGrouping, regions: Set<String>?, outages listing: OutageListing,
        on connection: PostgresConnection
    ) async throws -> AvailabilityReport {
        try await connection.transaction(logger: logger) { connection in
            try await connection.query("SET LOCAL jit = off", logger: logger)
            return try await compute(window, by: grouping, regions: regions, listing: listing, on: connection)
        }
    }

    private func compute(
        _ window: ReportWindow, by grouping: ReportGrouping, regions: Set<String>?, listing: OutageListing,
        on connection: PostgresConnection
    ) async throws -> AvailabilityReport {
        let devices = try await scopedDevices(regions, on: connection)
        let ids = devices.map(\.id)
        let maintenance = try await MaintenancePeriods.load(in: window, devices: ids, on: connection, logger: logger)
        let plan = ReadingPlan(window: window, devices: ids, maintenance: maintenance)
        let rows = try await AvailabilitySQL.rows(
            window: window, by: grouping, regions: regions, plan: plan, maintenance: maintenance, on: connection,
            logger: logger)
        let listed: [ReportDevice] =
            switch listing {
            case .omitted: []
            case .all: devices
            case .group(let key): devices.filter { $0.row(grouping).key == key }
            }
        let outages = try await Self.outages(
            of: listed, window: window, grouping: grouping, maintenance: maintenance, on: connection, logger: logger)
        return AvailabilityReport(
            window: window, by: grouping, rows: rows.sorted { ($0.name, $0.key) < ($1.name, $1.key) },
            outages: outages)
    }

    /// The outages of `devices` with their alerts, oldest first.
    private static func outages(
        of devices: [ReportDevice], window: ReportWindow, grouping: ReportGrouping, maintenance: MaintenancePeriods,
        on connection: PostgresConnection, logger: Logger
    ) async throws -> [Outage] {
        guard !devices.isEmpty else { return [] }
        let byID = Dictionary(devices.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let episodes = try await OutageSQL.episodes(
            window: window, devices: devices.map(\.id), on: connection, logger: logger)
        let alerts = try await OutageSQL.alerts(during: episodes, on: connection, logger: logger)
        var outages: [Outage] = []
        for (position, episode) in episodes.enumerated() {
            guard let device = byID[episode.device] else { continue }
            outages.append(
                Outage(
                    deviceID: device.id, deviceName: device.name, branch: device.branch, region: device.region,
                    deviceType: device.type, group: device.row(grouping).key, start: episode.start, end: episode.end,
                    downSeconds: episode.downSeconds,
                    inMaintenance: maintenance.covers(episode.device, at: episode.start),
                    alerts: alerts[position] ?? []))
        }
        return outages.sorted { ($0.start, $0.deviceName) < ($1.start, $1.deviceName) }
    }

    /// The devices an operator limited to `regions` sees.
    private func scopedDevices(_ regions: Set<String>?, on connection: PostgresConnection) async throws
        -> [ReportDevice]
    {
        let limited = regions != nil
        let rows = try await connection.query(
            """
            SELECT d.id, d.name, b.name, b.display_name, b.region, d.device_type
            FROM standalone_devices d LEFT JOIN branches b ON b.id = d.branch_id
            WHERE NOT \(limited) OR b.region = ANY(\(Array(regions ?? [])))
            ORDER BY d.name, d.id
            """, logger: logger)
        var devices: [ReportDevice] = []
        for try await (id, name, branch, display, region, type) in rows.decode(
            (UUID, String, String?, String?, String?, String?).self)
        {
            devices.append(
                ReportDevice(id: id, name: name, branch: branch, branchDisplayName: display, region: region, type: type)
            )
        }
        return devices
    }
}
