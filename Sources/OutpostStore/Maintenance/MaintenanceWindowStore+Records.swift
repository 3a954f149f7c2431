import Foundation
import PostgresNIO

extension MaintenanceWindowStore {
    /// Windows with their targets, soonest first: window `id` only when given; without
    /// `includeEnded`, only those not over at `now`.
    func records(id: UUID?, includeEnded: Bool, now: Date = Date(), on connection: PostgresConnection) async throws
        -> [MaintenanceWindowRecord]
    {
        let rows = try await connection.query(
            """
            SELECT w.id, w.name, w.comment, w.starts_at, w.ends_at, w.schedule, w.duration_seconds, u.username,
                   w.created_at, w.ended_at
            FROM maintenance_windows w LEFT JOIN users u ON u.id = w.created_by
            WHERE (\(id)::uuid IS NULL OR w.id = \(id))
              AND (\(includeEnded) OR ((w.ended_at IS NULL OR w.ended_at > \(now)) AND (w.ends_at IS NULL OR w.ends_at > \(now))))
            ORDER BY w.starts_at, w.created_at, w.id
            """, logger: logger)
        return try await withTargets(rows, on: connection)
    }

    /// Windows that may be open at `time` or later (not over by then), with their targets.
    func records(notOverAt time: Date, on connection: PostgresConnection) async throws -> [MaintenanceWindowRecord] {
        let rows = try await connection.query(
            """
            SELECT w.id, w.name, w.comment, w.starts_at, w.ends_at, w.schedule, w.duration_seconds, u.username,
                   w.created_at, w.ended_at
            FROM maintenance_windows w LEFT JOIN users u ON u.id = w.created_by
            WHERE (w.ended_at IS NULL OR w.ended_at > \(time)) AND (w.ends_at IS NULL OR w.ends_at > \(time))
            ORDER BY w.starts_at, w.created_at, w.id
            """, logger: logger)
        return try await withTargets(rows, on: connection)
    }

    /// Decodes window rows and reads their targets.
    private func withTargets(_ rows: PostgresRowSequence, on connection: PostgresConnection) async throws
        -> [MaintenanceWindowRecord]
    {
        typealias Row = (UUID, String, String?, Date, Date?, String?, Int32?, String?, Date, Date?)
        var windows: [Row] = []
        for try await row in rows.decode(Row.self) { windows.append(row) }
        guard !windows.isEmpty else { return [] }
        let targets = try await targets(of: windows.map { $0.0 }, on: connection)
        var records: [MaintenanceWindowRecord] = []
        for (id, name, comment, startsAt, endsAt, schedule, duration, createdBy, createdAt, endedAt) in windows {
            records.append(
                MaintenanceWindowRecord(
                    id: id, name: name, comment: comment, startsAt: startsAt, endsAt: endsAt, schedule: schedule,
                    durationSeconds: duration.map { Int($0) }, createdBy: createdBy, createdAt: createdAt,
                    endedAt: endedAt, targets: targets[id] ?? .init()))
        }
        return records
    }

    /// The targets of `windows`, devices and branches by name, each list sorted.
    private func targets(of windows: [UUID], on connection: PostgresConnection) async throws
        -> [UUID: MaintenanceWindowRecord.Targets]
    {
        let rows = try await connection.query(
            """
            SELECT t.window_id, t.device_id, d.name, b.name, t.region
            FROM maintenance_window_targets t
            LEFT JOIN standalone_devices d ON d.id = t.device_id
            LEFT JOIN branches b ON b.id = t.branch_id
            WHERE t.window_id = ANY(\(windows))
            ORDER BY d.name, b.name, t.region, t.device_id
            """, logger: logger)
        var targets: [UUID: MaintenanceWindowRecord.Targets] = [:]
        for try await (window, deviceID, deviceName, branch, region) in rows.decode(
            (UUID, UUID?, String?, String?, String?).self)
        {
            if let deviceID, let deviceName {
                targets[window, default: .init()].devices.append(.init(id: deviceID, name: deviceName))
            }
            if let branch { targets[window, default: .init()].branchNames.append(branch) }
            if let region { targets[window, default: .init()].regions.append(region) }
        }
        return targets
    }
}
