import Foundation
import PostgresNIO

extension MaintenanceWindowStore {
    /// Which devices are in a window open at `time`, with that window's id; branch and region
    /// targets count every device of the branch or of the region's branches.
    public func activeDevices(at time: Date, on connection: PostgresConnection) async throws -> [UUID: UUID] {
        try await coverage(from: time, on: connection).activeDevices(at: time)
    }

    /// The windows that may be open at `time` or later, with the devices each covers now.
    public func coverage(from time: Date, on connection: PostgresConnection) async throws -> MaintenanceCoverage {
        let windows = try await records(notOverAt: time, on: connection)
        guard !windows.isEmpty else { return MaintenanceCoverage() }
        let rows = try await connection.query(
            """
            SELECT t.window_id, t.device_id FROM maintenance_window_targets t
            WHERE t.window_id = ANY(\(windows.map(\.id))) AND t.device_id IS NOT NULL
            UNION
            SELECT t.window_id, d.id FROM maintenance_window_targets t
            JOIN standalone_devices d ON d.branch_id = t.branch_id
            WHERE t.window_id = ANY(\(windows.map(\.id)))
            UNION
            SELECT t.window_id, d.id FROM maintenance_window_targets t
            JOIN branches b ON b.region = t.region
            JOIN standalone_devices d ON d.branch_id = b.id
            WHERE t.window_id = ANY(\(windows.map(\.id)))
            """, logger: logger)
        var devices: [UUID: Set<UUID>] = [:]
        for try await (window, device) in rows.decode((UUID, UUID).self) { devices[window, default: []].insert(device) }
        return MaintenanceCoverage(windows: windows, devices: devices)
    }
}
