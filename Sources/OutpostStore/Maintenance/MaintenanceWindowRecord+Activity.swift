import Foundation
import OutpostRules

extension MaintenanceWindowRecord {
    /// Whether the window is open at `time`.
    public func isActive(at time: Date) -> Bool { occurrence(at: time) != nil }

    /// The opening of the window that contains `time`, if any, clipped to `endsAt` and `endedAt`.
    ///
    /// One-off: `startsAt ≤ time < endsAt`. Recurring: the last schedule match `m` at or before
    /// `time` with `m ≥ startsAt` satisfies `time < m + durationSeconds`; a series stops at
    /// `endsAt`. A window ended by hand is closed from `endedAt` on. A schedule that no longer
    /// parses (edited by hand in the database) is never open.
    public func occurrence(at time: Date) -> DateInterval? {
        if let endedAt, time >= endedAt { return nil }
        if let endsAt, time >= endsAt { return nil }
        guard time >= startsAt else { return nil }
        let limit = [endsAt, endedAt].compactMap { $0 }.min()
        guard schedule != nil else {
            return endsAt.map { DateInterval(start: startsAt, end: limit ?? $0) }
        }
        guard let durationSeconds, durationSeconds > 0, let cron else { return nil }
        let duration = TimeInterval(durationSeconds)
        // The earliest match that still covers `time` is after `time - duration`; the first match
        // from there (not before `startsAt`) covers `time` if it has already come.
        var match = Self.firstMatch(of: cron, atOrAfter: max(time.addingTimeInterval(-duration), startsAt))
        while let candidate = match, candidate.addingTimeInterval(duration) <= time {
            match = cron.next(after: candidate)
        }
        guard let start = match, start <= time else { return nil }
        let end = start.addingTimeInterval(duration)
        return DateInterval(start: start, end: limit.map { min($0, end) } ?? end)
    }

    /// The first minute of `cron` at or after `date`.
    static func firstMatch(of cron: CronSchedule, atOrAfter date: Date) -> Date? {
        guard let candidate = cron.next(after: date.addingTimeInterval(-60)) else { return nil }
        return candidate >= date ? candidate : cron.next(after: candidate)
    }
}
