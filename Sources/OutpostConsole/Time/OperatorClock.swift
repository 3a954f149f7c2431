import Foundation

/// Formats stored UTC instants in the operator's time zone: Asia/Tbilisi unless the operator
/// switched to UTC (a cookie of the console). Every time a page shows goes through here.
public struct OperatorClock: Sendable {
    /// The time zones an operator can choose.
    public enum Zone: String, Sendable, CaseIterable {
        case tbilisi = "Asia/Tbilisi"
        case utc = "UTC"
    }

    /// The chosen zone.
    public let zone: Zone
    /// The zone's name as shown (`Tbilisi` or `UTC`).
    public var label: String { zone == .utc ? "UTC" : "Tbilisi" }
    /// The other zone, offered by the switch in the page header.
    public var other: Zone { zone == .utc ? .tbilisi : .utc }
    public var otherLabel: String { zone == .utc ? "Tbilisi" : "UTC" }
    private let timeZone: TimeZone

    /// The clock for `zone`; Asia/Tbilisi (UTC+4, no daylight saving time since 2005) when the
    /// system has no zone data for it.
    public init(zone: Zone) {
        self.zone = zone
        self.timeZone =
            TimeZone(identifier: zone.rawValue) ?? (zone == .utc ? .gmt : TimeZone(secondsFromGMT: 4 * 3600)!)
    }

    /// The zone named by a cookie's value; Tbilisi for anything else.
    public init(cookie: String?) {
        self.init(zone: cookie.flatMap(Zone.init(rawValue:)) ?? .tbilisi)
    }

    /// `2026-12-06 22:41:05` in the operator's zone.
    public func dateTime(_ date: Date) -> String {
        format(date, "%04d-%02d-%02d %02d:%02d:%02d", [.year, .month, .day, .hour, .minute, .second])
    }

    /// `22:41:05` in the operator's zone.
    public func time(_ date: Date) -> String {
        format(date, "%02d:%02d:%02d", [.hour, .minute, .second])
    }

    /// `22:41` in the operator's zone.
    public func hourMinute(_ date: Date) -> String {
        format(date, "%02d:%02d", [.hour, .minute])
    }

    /// `12-06 22:41` in the operator's zone.
    public func dayHourMinute(_ date: Date) -> String {
        format(date, "%02d-%02d %02d:%02d", [.month, .day, .hour, .minute])
    }

    /// The zone's offset from UTC at `date`, in seconds.
    public func secondsFromGMT(at date: Date) -> Int {
        timeZone.secondsFromGMT(for: date)
    }

    /// `2026-12-06` in the operator's zone.
    public func day(_ date: Date) -> String {
        format(date, "%04d-%02d-%02d", [.year, .month, .day])
    }

    /// How long ago `date` was, from `now`: `42 s`, `5 min`, `3 h`, `12 d`.
    public static func age(of date: Date, now: Date = Date()) -> String {
        let seconds = max(0, Int(now.timeIntervalSince(date)))
        switch seconds {
        case ..<120: return "\(seconds) s"
        case ..<7200: return "\(seconds / 60) min"
        case ..<172_800: return "\(seconds / 3600) h"
        default: return "\(seconds / 86_400) d"
        }
    }

    private func format(_ date: Date, _ pattern: String, _ components: [Calendar.Component]) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents(Set(components), from: date)
        return String(format: pattern, arguments: components.map { parts.value(for: $0) ?? 0 })
    }
}
