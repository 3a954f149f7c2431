import Foundation
import Logging
import PostgresNIO

/// The time each device spent in maintenance windows within a report's range: every opening of
/// every window (one-off, or each match of a recurring one's schedule), clipped to the range,
/// to the series' end and to a hand-made end, merged per device. Branch and region targets
/// count the devices of the branch or region as they are now.
struct MaintenancePeriods: Sendable {
    /// Merged, sorted, non-overlapping periods per device.
    private(set) var byDevice: [UUID: [DateInterval]] = [:]

    /// Openings of one recurring window a report expands at most (a window every minute for a
    /// year is 527,040); beyond, the rest of the range counts as outside the window.
    static let maximumOpenings = 600_000

    init(byDevice: [UUID: [DateInterval]] = [:]) {
        self.byDevice = byDevice.mapValues(Self.merged)
    }

    /// Reads the windows that may be open within `window` and the devices among `devices` they cover.
    static func load(
        in window: ReportWindow, devices: [UUID], on connection: PostgresConnection, logger: Logger
    ) async throws -> MaintenancePeriods {
        let rows = try await connection.query(
            """
            SELECT w.id, w.starts_at, w.ends_at, w.schedule, w.duration_seconds, w.ended_at
            FROM maintenance_windows w
            WHERE w.starts_at < \(window.to) AND (w.ends_at IS NULL OR w.ends_at > \(window.from))
              AND (w.ended_at IS NULL OR w.ended_at > \(window.from))
            """, logger: logger)
        var openings: [UUID: [DateInterval]] = [:]
        for try await (id, startsAt, endsAt, schedule, duration, endedAt) in rows.decode(
            (UUID, Date, Date?, String?, Int32?, Date?).self)
        {
            let record = MaintenanceWindowRecord(
                id: id, name: "-", comment: nil, startsAt: startsAt, endsAt: endsAt, schedule: schedule,
                durationSeconds: duration.map { Int($0) }, createdBy: nil, createdAt: startsAt, endedAt: endedAt,
                targets: .init())
            openings[id] = Self.openings(of: record, in: window)
        }
        let windows = openings.filter { !$0.value.isEmpty }.map(\.key)
        guard !windows.isEmpty else { return MaintenancePeriods() }
        let targets = try await connection.query(
            """
            SELECT w.window_id, w.device_id FROM (
                SELECT t.window_id, t.device_id FROM maintenance_window_targets t
                WHERE t.window_id = ANY(\(windows)) AND t.device_id IS NOT NULL
                UNION
                SELECT t.window_id, d.id FROM maintenance_window_targets t
                JOIN standalone_devices d ON d.branch_id = t.branch_id
                WHERE t.window_id = ANY(\(windows))
                UNION
                SELECT t.window_id, d.id FROM maintenance_window_targets t
                JOIN branches b ON b.region = t.region
                JOIN standalone_devices d ON d.branch_id = b.id
                WHERE t.window_id = ANY(\(windows))
            ) w
            """, logger: logger)
        var byDevice: [UUID: [DateInterval]] = [:]
        let known = Set(devices)
        for try await (windowID, device) in targets.decode((UUID, UUID).self) where known.contains(device) {
            byDevice[device, default: []].append(contentsOf: openings[windowID] ?? [])
        }
        return MaintenancePeriods(byDevice: byDevice)
    }

    /// The openings of `record` that overlap `window`, clipped to it.
    static func openings(of record: MaintenanceWindowRecord, in window: ReportWindow) -> [DateInterval] {
        let limit = [record.endsAt, record.endedAt, window.to].compactMap { $0 }.min()!
        func clipped(_ start: Date, _ end: Date) -> DateInterval? {
            let lower = max(start, window.from)
            let upper = min(end, limit)
            return lower < upper ? DateInterval(start: lower, end: upper) : nil
        }
        guard record.isRecurring else {
            return record.endsAt.flatMap { clipped(record.startsAt, $0) }.map { [$0] } ?? []
        }
        guard let seconds = record.durationSeconds, seconds > 0, let cron = record.cron else { return [] }
        let duration = TimeInterval(seconds)
        var result: [DateInterval] = []
        var match = MaintenanceWindowRecord.firstMatch(
            of: cron, atOrAfter: max(window.from.addingTimeInterval(-duration), record.startsAt))
        while let start = match, start < limit, result.count < maximumOpenings {
            if let opening = clipped(start, start.addingTimeInterval(duration)) { result.append(opening) }
            match = cron.next(after: start)
        }
        return result
    }

    /// `periods` sorted and merged where they overlap or touch.
    static func merged(_ periods: [DateInterval]) -> [DateInterval] {
        var result: [DateInterval] = []
        for period in periods.sorted(by: { $0.start < $1.start }) {
            if let last = result.last, period.start <= last.end {
                result[result.count - 1] = DateInterval(start: last.start, end: max(last.end, period.end))
            } else {
                result.append(period)
            }
        }
        return result
    }

    /// Whether `time` lies in a period of `device`.
    func covers(_ device: UUID, at time: Date) -> Bool {
        byDevice[device]?.contains { $0.start <= time && time < $0.end } ?? false
    }
}
