import Foundation
import Logging
import OutpostRules
import PostgresNIO

/// The daily baseline job's work (docs/architecture.md, "Schema decisions"): learns the per-hour-of-week
/// median and MAD of each device's RTT and loss and of each numeric item from the one-hour
/// roll-ups, never from raw rows, into `performance_baselines` and `metric_baselines`.
///
/// A step runs in one transaction under an advisory lock (one writer at a time across
/// collectors) and advances `baseline_progress` in that transaction, so a crash or a restart
/// repeats at most the step it interrupted. The first step (or one more than a week behind)
/// learns every hour of week from the `weeks` before the last complete UTC day's end; each
/// later step folds in one more complete day, learning again only the hours of week that day's
/// hourly means are pooled into (24 + 2 × `neighbourHours`). An hour of week with too few
/// hourly means has its rows deleted: no baseline rather than a baseline of zero.
public struct BaselineWriter: Sendable {
    /// How baselines are learned.
    public let learning: BaselineLearning
    /// A day is complete this long after its end (the roll-ups of its last hour are written).
    public let settle: TimeInterval
    private let logger: Logger

    /// Creates a writer.
    public init(learning: BaselineLearning = BaselineLearning(), settle: TimeInterval = 900, logger: Logger) {
        precondition(settle >= 0)
        self.learning = learning
        self.settle = settle
        self.logger = logger
    }

    /// A step is a full recomputation when the baselines are at least this many days behind.
    static let fullAfterDays = 7

    /// Takes the next step due at `now` (see the type's documentation).
    public func step(now: Date = Date(), on connection: PostgresConnection) async throws -> BaselineStep {
        let latest = Self.utcMidnight(atOrBefore: now.addingTimeInterval(-settle))
        return try await connection.transaction(logger: logger) { connection in
            let locked = try await connection.query(
                "SELECT pg_try_advisory_xact_lock(hashtext('outpost_baselines'))", logger: logger)
            for try await acquired in locked.decode(Bool.self) where !acquired {
                return BaselineStep(kind: .lockedElsewhere, computedThrough: nil)
            }
            let done = try await progress(on: connection)
            let through: Date
            let hours: [Int]
            let kind: BaselineStep.Kind
            if let done, done >= latest {
                return BaselineStep(kind: .upToDate, computedThrough: done)
            } else if let done, latest.timeIntervalSince(done) < Double(Self.fullAfterDays) * 86_400 {
                through = done.addingTimeInterval(86_400)
                hours = changedHours(byDayEndingAt: through)
                kind = .day
            } else {
                through = latest
                hours = Array(0..<HourOfWeek.count)
                kind = .full
            }
            var step = BaselineStep(kind: kind, computedThrough: through, hours: hours.count)
            let computedAt = Date()
            try await PingBaselineSQL.learn(
                hours: hours, through: through, learning: learning, computedAt: computedAt, into: &step,
                on: connection, logger: logger)
            try await ItemBaselineSQL.learn(
                hours: hours, through: through, learning: learning, computedAt: computedAt, into: &step,
                on: connection, logger: logger)
            try await connection.query(
                """
                INSERT INTO baseline_progress (singleton, computed_through, updated_at) VALUES (TRUE, \(through), now())
                ON CONFLICT (singleton) DO UPDATE SET computed_through = EXCLUDED.computed_through, updated_at = now()
                """, logger: logger)
            return step
        }
    }

    /// The end of the last day the baselines include (`nil`: never computed).
    public func progress(on connection: PostgresConnection) async throws -> Date? {
        let rows = try await connection.query("SELECT computed_through FROM baseline_progress", logger: logger)
        for try await through in rows.decode(Date.self) { return through }
        return nil
    }

    /// The hours of week whose baselines the hourly means of the day ending at `dayEnd` change.
    func changedHours(byDayEndingAt dayEnd: Date) -> [Int] {
        let first = HourOfWeek.of(dayEnd.addingTimeInterval(-86_400))
        var hours = Set<Int>()
        for offset in 0..<24 { hours.formUnion(learning.pooledHours(of: HourOfWeek.adding(offset, to: first))) }
        return hours.sorted()
    }

    /// The UTC midnight at or before `date`.
    static func utcMidnight(atOrBefore date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
    }
}
