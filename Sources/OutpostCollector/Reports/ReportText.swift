import Foundation

/// How reports write times and durations for people: a zone's local time with its offset, and
/// durations as `2d3h`, `45m`, `30s`.
public enum ReportText {
    /// `date` in ISO 8601 with the offset of `zone`, to the second (`2026-11-03T14:00:00+04:00`).
    public static func timestamp(_ date: Date, zone: TimeZone) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = zone
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// `date` as `2026-11-03 14:00` in `zone`.
    public static func minute(_ date: Date, zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(
            format: "%04d-%02d-%02d %02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0,
            parts.minute ?? 0)
    }

    /// `seconds` as `1d2h30m`, `2h`, `90s` → `1m30s`; `-` for `nil`.
    public static func duration(_ seconds: Double?) -> String {
        guard let seconds else { return "-" }
        var rest = Int(seconds.rounded())
        var text = ""
        for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text.isEmpty ? "0s" : text
    }

    /// `percent` with three decimals (`99.873%`); `-` for `nil`.
    public static func percent(_ percent: Double?) -> String {
        guard let percent else { return "-" }
        return String(format: "%.3f%%", percent)
    }
}
