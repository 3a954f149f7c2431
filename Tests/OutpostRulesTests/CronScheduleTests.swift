import Foundation
import OutpostRules
import Testing

@Suite("Cron schedules")
struct CronScheduleTests {
    /// 2026-11-25 13:07 UTC, a Wednesday.
    static func date(_ text: String) -> Date {
        try! Date(text + ":00Z", strategy: .iso8601)
    }

    @Test("fields, lists, ranges and steps select the right minutes")
    func matching() throws {
        let every15 = try CronSchedule("*/15 * * * *")
        #expect(every15.matches(Self.date("2026-11-25T13:45")))
        #expect(!every15.matches(Self.date("2026-11-25T13:46")))
        let workHours = try CronSchedule("0 9-17/4 * * 1-5")
        #expect(workHours.matches(Self.date("2026-11-25T13:00")), "Wednesday 13:00")
        #expect(!workHours.matches(Self.date("2026-11-25T15:00")), "15 is not in 9-17/4")
        #expect(!workHours.matches(Self.date("2026-11-29T13:00")), "Sunday")
        let sunday = try CronSchedule("30 2 * * 7")
        #expect(sunday.matches(Self.date("2026-11-29T02:30")), "7 is Sunday like 0")
        // Day of month and day of week both restricted: either matches.
        let either = try CronSchedule("0 0 1 * 3")
        #expect(either.matches(Self.date("2026-11-25T00:00")) && either.matches(Self.date("2026-12-01T00:00")))
        #expect(!either.matches(Self.date("2026-11-26T00:00")))
    }

    @Test("next finds the following slot across hours, days and months")
    func next() throws {
        #expect(
            try CronSchedule("*/15 * * * *").next(after: Self.date("2026-11-25T13:07")) == Self.date("2026-11-25T13:15")
        )
        #expect(
            try CronSchedule("*/15 * * * *").next(after: Self.date("2026-11-25T13:15")) == Self.date("2026-11-25T13:30")
        )
        #expect(
            try CronSchedule("5 3 * * *").next(after: Self.date("2026-11-25T13:07")) == Self.date("2026-11-26T03:05"))
        #expect(
            try CronSchedule("0 0 1 1 *").next(after: Self.date("2026-11-25T13:07")) == Self.date("2027-01-01T00:00"))
        #expect(
            try CronSchedule("0 0 29 2 *").next(after: Self.date("2026-11-25T13:07")) == Self.date("2028-02-29T00:00"))
        #expect(try CronSchedule("0 0 31 2 *").next(after: Self.date("2026-11-25T13:07")) == nil)
    }

    @Test(
        "bad expressions are refused naming the field",
        arguments: [
            ("* * * *", "expected 5 fields"), ("60 * * * *", "minute"), ("* 24 * * *", "hour"),
            ("* * 0 * *", "day of month"),
            ("* * * 13 *", "month"), ("* * * * 8", "day of week"), ("*/0 * * * *", "step"),
            ("5-1 * * * *", "backwards"),
            ("MON * * * *", "minute"), ("1,,2 * * * *", "minute"),
        ])
    func refusals(expression: String, expected: String) {
        #expect(throws: CronScheduleError.self) { try CronSchedule(expression) }
        do {
            _ = try CronSchedule(expression)
        } catch {
            #expect(error.description.contains(expected), "\(error)")
        }
    }
}
