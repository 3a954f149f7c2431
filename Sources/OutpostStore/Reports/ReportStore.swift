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
    /// every device, also those without a branch or region).
    ///
    /// Its statements run in one transaction (one snapshot) without JIT compilation, which costs
    /// more than these short scans save.
    public func availability(
        _ window: ReportWindow, by grouping: ReportGrouping, regions: Set<String>?, on connection: PostgresConnection
    ) async throws -> AvailabilityReport {
        try await connection.transaction(logger: logger) { connection in
            try await connection.query("SET LOCAL jit = off", logger: logger)
            return try await compute(window, by: grouping, regions: regions, on: connection)
        }
    }

    private func compute(
        _ window: ReportWindow, by grouping: ReportGrouping, regions: Set<String>?, on connection: PostgresConnection
    ) async throws -> AvailabilityReport {
        var devices = try await scopedDevices(regions, on: connection)
        let ids = devices.map(\.id)
        let maintenance = try await MaintenancePeriods.load(in: window, devices: ids, on: connection, logger: logger)
        let plan = ReadingPlan(window: window, devices: ids, maintenance: maintenance)
        let seconds = try await AvailabilitySQL.seconds(
            window: window, plan: plan, devices: ids, on: connection, logger: logger)
        var index: [UUID: Int] = [:]
        for (position, device) in devices.enumerated() {
            index[device.id] = position
            devices[position].upSeconds = seconds[device.id]?.up ?? 0
            devices[position].downSeconds = seconds[device.id]?.down ?? 0
        }
        let episodes = try await OutageSQL.episodes(
            window: window, devices: ids, on: connection, logger: logger)
        let alerts = try await OutageSQL.alerts(during: episodes, on: connection, logger: logger)
        var outages: [Outage] = []
        for (position, episode) in episodes.enumerated() {
            guard let slot = index[episode.device] else { continue }
            let device = devices[slot]
            let inMaintenance = maintenance.covers(episode.device, at: episode.start)
            if !inMaintenance {
                devices[slot].outages += 1
                devices[slot].outageSeconds += episode.end.timeIntervalSince(episode.start)
            }
            outages.append(
                Outage(
                    deviceID: device.id, deviceName: device.name, branch: device.branch, region: device.region,
                    deviceType: device.type, group: device.row(grouping).key, start: episode.start, end: episode.end,
                    downSeconds: episode.downSeconds, inMaintenance: inMaintenance, alerts: alerts[position] ?? []))
        }
        outages.sort { ($0.start, $0.deviceName) < ($1.start, $1.deviceName) }
        return AvailabilityReport(window: window, by: grouping, rows: Self.rows(devices, grouping), outages: outages)
    }

    /// The devices summed per row of `grouping`, by name.
    static func rows(_ devices: [ReportDevice], _ grouping: ReportGrouping) -> [AvailabilityRow] {
        var rows: [String: AvailabilityRow] = [:]
        for device in devices {
            let (key, name) = device.row(grouping)
            var row =
                rows[key]
                ?? AvailabilityRow(
                    key: key, name: name, devices: 0, upSeconds: 0, downSeconds: 0, outages: 0, outageSeconds: 0)
            row.devices += 1
            row.upSeconds += device.upSeconds
            row.downSeconds += device.downSeconds
            row.outages += device.outages
            row.outageSeconds += device.outageSeconds
            rows[key] = row
        }
        return rows.values.sorted { ($0.name, $0.key) < ($1.name, $1.key) }
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
