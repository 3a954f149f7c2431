import Foundation

/// A validated report range [`from`, `to`): `from` before `to`, both between 2000 and 2199, at
/// most ``maximumSpan`` long.
public struct ReportWindow: Sendable, Equatable {
    public let from: Date
    public let to: Date

    /// The longest range: a year and a day (a leap year's worth, plus the day a zone shifts it).
    public static let maximumSpan: TimeInterval = 367 * 86_400
    static let earliest = Date(timeIntervalSince1970: 946_684_800)  // 2000-01-01
    static let latest = Date(timeIntervalSince1970: 7_258_118_400)  // 2200-01-01

    /// The range; an ``InputError`` naming `from` or `to` when it is refused.
    public init(from: Date, to: Date) throws {
        guard from >= Self.earliest, from < Self.latest else {
            throw InputError(field: "from", reason: "must be between 2000-01-01 and 2199-12-31")
        }
        guard to >= Self.earliest, to < Self.latest else {
            throw InputError(field: "to", reason: "must be between 2000-01-01 and 2199-12-31")
        }
        guard from < to else { throw InputError(field: "from", reason: "must be before to") }
        guard to.timeIntervalSince(from) <= Self.maximumSpan else {
            throw InputError(field: "to", reason: "the range may span at most 367 days")
        }
        self.from = from
        self.to = to
    }

    /// Seconds in the range.
    public var seconds: TimeInterval { to.timeIntervalSince(from) }

    /// The calendar month (UTC) that ended last before `now`: the range a monthly report covers.
    public static func previousMonth(before now: Date) -> ReportWindow {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let thisMonth = calendar.dateInterval(of: .month, for: now)!.start
        let previous = calendar.date(byAdding: .month, value: -1, to: thisMonth)!
        return try! ReportWindow(from: previous, to: thisMonth)
    }
}
