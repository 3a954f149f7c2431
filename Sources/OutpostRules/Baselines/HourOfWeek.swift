import Foundation

/// The hour of the week a time falls in, in UTC: 0 is Monday 00:00–01:00, 167 Sunday 23:00–24:00.
/// Baselines are learned and looked up per hour of week (docs/alert-rules.md, "Baselines").
public enum HourOfWeek {
    /// Hours in a week.
    public static let count = 168

    /// The hour of week of `date` (UTC).
    public static func of(_ date: Date) -> Int {
        // 1970-01-01 00:00 UTC was a Thursday, hour 72 of its week.
        let hours = (date.timeIntervalSince1970 / 3600).rounded(.down)
        let index = (Int(hours) + 72) % count
        return index < 0 ? index + count : index
    }

    /// `hour` moved by `offset` hours, wrapping around the week.
    public static func adding(_ offset: Int, to hour: Int) -> Int {
        ((hour + offset) % count + count) % count
    }
}
