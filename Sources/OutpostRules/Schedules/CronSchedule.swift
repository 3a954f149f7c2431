import Foundation

/// A five-field cron schedule (`minute hour day-of-month month day-of-week`), evaluated in UTC.
///
/// Each field is `*`, a number, a range `a-b`, a list `a,b,c`, and any of these with a step
/// (`*/15`, `1-30/5`). Day of week is 0-7 (0 and 7 are Sunday). As in cron, when both
/// day-of-month and day-of-week are restricted, a day matching either one matches.
/// Names (`MON`, `JAN`) and macros (`@daily`) are not accepted.
public struct CronSchedule: Sendable, Hashable, CustomStringConvertible {
    private let minutes: Set<Int>
    private let hours: Set<Int>
    private let days: Set<Int>
    private let months: Set<Int>
    private let weekdays: Set<Int>
    private let daysRestricted: Bool
    private let weekdaysRestricted: Bool
    /// The expression as given.
    public let description: String

    /// Parses an expression.
    /// - Throws: ``CronScheduleError`` naming the offending field.
    public init(_ expression: String) throws(CronScheduleError) {
        let fields = expression.split(whereSeparator: \.isWhitespace).map(String.init)
        guard fields.count == 5 else {
            throw CronScheduleError(
                expression: expression, reason: "expected 5 fields (minute hour day month weekday), got \(fields.count)"
            )
        }
        minutes = try Self.parse(fields[0], name: "minute", range: 0...59, expression: expression)
        hours = try Self.parse(fields[1], name: "hour", range: 0...23, expression: expression)
        days = try Self.parse(fields[2], name: "day of month", range: 1...31, expression: expression)
        months = try Self.parse(fields[3], name: "month", range: 1...12, expression: expression)
        let weekdays = try Self.parse(fields[4], name: "day of week", range: 0...7, expression: expression)
        self.weekdays = Set(weekdays.map { $0 % 7 })
        daysRestricted = fields[2] != "*"
        weekdaysRestricted = fields[4] != "*"
        description = fields.joined(separator: " ")
    }

    /// Whether the minute containing `date` (UTC) is in the schedule.
    public func matches(_ date: Date) -> Bool {
        let parts = Self.calendar.dateComponents([.minute, .hour, .day, .month, .weekday], from: date)
        guard let minute = parts.minute, let hour = parts.hour, let day = parts.day, let month = parts.month,
            let weekday = parts.weekday
        else {
            return false
        }
        guard minutes.contains(minute), hours.contains(hour), months.contains(month) else { return false }
        let dayMatches = days.contains(day)
        let weekdayMatches = weekdays.contains(weekday - 1)
        if daysRestricted && weekdaysRestricted { return dayMatches || weekdayMatches }
        return dayMatches && weekdayMatches
    }

    /// The first scheduled minute strictly after `date`, or `nil` when none comes within
    /// about five years (e.g. `0 0 31 2 *`).
    public func next(after date: Date) -> Date? {
        var candidate = Self.minuteStart(of: date).addingTimeInterval(60)
        let limit = date.addingTimeInterval(5 * 366 * 86_400)
        while candidate <= limit {
            let parts = Self.calendar.dateComponents([.month, .day, .hour], from: candidate)
            if let month = parts.month, !months.contains(month) {
                candidate = Self.calendar.date(byAdding: .month, value: 1, to: Self.startOfMonth(candidate)) ?? limit
                continue
            }
            if !dayMatches(candidate) {
                candidate =
                    Self.calendar.date(byAdding: .day, value: 1, to: Self.calendar.startOfDay(for: candidate)) ?? limit
                continue
            }
            if let hour = parts.hour, !hours.contains(hour) {
                candidate = Self.minuteStart(of: candidate).addingTimeInterval(
                    Double(60 - (Self.calendar.component(.minute, from: candidate))) * 60)
                continue
            }
            if matches(candidate) { return candidate }
            candidate = candidate.addingTimeInterval(60)
        }
        return nil
    }

    /// The start (UTC) of the minute containing `date`.
    public static func minuteStart(of date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 60).rounded(.down) * 60)
    }

    private func dayMatches(_ date: Date) -> Bool {
        let parts = Self.calendar.dateComponents([.day, .weekday], from: date)
        let dayMatches = parts.day.map { days.contains($0) } ?? false
        let weekdayMatches = parts.weekday.map { weekdays.contains($0 - 1) } ?? false
        if daysRestricted && weekdaysRestricted { return dayMatches || weekdayMatches }
        return dayMatches && weekdayMatches
    }

    private static func startOfMonth(_ date: Date) -> Date {
        calendar.date(from: calendar.dateComponents([.year, .month], from: date)) ?? date
    }

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    private static func parse(_ field: String, name: String, range: ClosedRange<Int>, expression: String)
        throws(CronScheduleError) -> Set<Int>
    {
        var values = Set<Int>()
        for part in field.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2, let base = pieces.first, !base.isEmpty else {
                throw CronScheduleError(
                    expression: expression,
                    reason: "\(name): \(String(part).debugDescription) is not a value, range or step")
            }
            var step = 1
            if pieces.count == 2 {
                guard let parsed = Int(pieces[1]), parsed >= 1, parsed <= range.upperBound else {
                    throw CronScheduleError(
                        expression: expression,
                        reason: "\(name): step \(String(pieces[1]).debugDescription) must be 1...\(range.upperBound)")
                }
                step = parsed
            }
            let lower: Int
            let upper: Int
            if base == "*" {
                lower = range.lowerBound
                upper = range.upperBound
            } else {
                let bounds = base.split(separator: "-", omittingEmptySubsequences: false)
                guard bounds.count <= 2, let first = Int(bounds[0]), let last = Int(bounds[bounds.count - 1]) else {
                    throw CronScheduleError(
                        expression: expression,
                        reason: "\(name): \(String(base).debugDescription) is not a number or range")
                }
                guard range.contains(first), range.contains(last) else {
                    throw CronScheduleError(
                        expression: expression,
                        reason: "\(name): \(base) outside \(range.lowerBound)-\(range.upperBound)")
                }
                guard first <= last else {
                    throw CronScheduleError(expression: expression, reason: "\(name): range \(base) runs backwards")
                }
                lower = first
                // `5/10` means from 5 to the end in steps of 10, as in cron.
                upper = bounds.count == 1 && pieces.count == 2 ? range.upperBound : last
            }
            values.formUnion(stride(from: lower, through: upper, by: step))
        }
        return values
    }
}

/// A cron expression was refused.
public struct CronScheduleError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The expression.
    public var expression: String
    /// What is wrong with it.
    public var reason: String

    public var description: String { "schedule \(expression.debugDescription): \(reason)" }
}
