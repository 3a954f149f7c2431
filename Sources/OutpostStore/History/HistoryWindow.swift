import Foundation

/// A validated history range and how it is read: the finest resolution that keeps a chart
/// within ``maximumPoints`` (raw up to 3 hours, one-minute roll-ups up to 2 days, one-hour
/// roll-ups beyond), re-bucketed to a coarser step when the range needs it.
public struct HistoryWindow: Sendable, Equatable {
    public let from: Date
    public let to: Date
    public let resolution: HistoryResolution
    /// Length of each point's bucket: a multiple of the resolution's own.
    public let bucketSeconds: Int

    /// Points a chart holds at most.
    public static let maximumPoints = 1_500
    /// The longest range: two years (and a day for a leap year).
    public static let maximumSpan: TimeInterval = 731 * 86_400
    /// Ranges read raw rows up to this length.
    public static let rawSpan: TimeInterval = 3 * 3_600
    /// Ranges read the one-minute roll-ups up to this length.
    public static let minuteSpan: TimeInterval = 2 * 86_400
    /// Times outside these are refused (no data exists there; keeps timestamps sane).
    static let earliest = Date(timeIntervalSince1970: 946_684_800)  // 2000-01-01
    static let latest = Date(timeIntervalSince1970: 7_258_118_400)  // 2200-01-01
    /// Bucket lengths a chart uses, seconds: each divides a day.
    static let steps = [
        1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 10_800, 21_600, 43_200, 86_400,
    ]

    /// The range [`from`, `to`); an ``InputError`` for `from` not before `to`, a range over two
    /// years, or a time before 2000 or after 2199.
    public init(from: Date, to: Date) throws {
        guard from >= Self.earliest, from < Self.latest else {
            throw InputError(field: "from", reason: "must be between 2000-01-01 and 2199-12-31")
        }
        guard to >= Self.earliest, to < Self.latest else {
            throw InputError(field: "to", reason: "must be between 2000-01-01 and 2199-12-31")
        }
        guard from < to else { throw InputError(field: "from", reason: "must be before to") }
        let span = to.timeIntervalSince(from)
        guard span <= Self.maximumSpan else {
            throw InputError(field: "to", reason: "the range may span at most 731 days")
        }
        self.from = from
        self.to = to
        let native: Int
        if span <= Self.rawSpan {
            (resolution, native) = (.raw, 1)
        } else if span <= Self.minuteSpan {
            (resolution, native) = (.minute, 60)
        } else {
            (resolution, native) = (.hour, 3_600)
        }
        let needed = max(native, Int((span / Double(Self.maximumPoints)).rounded(.up)))
        bucketSeconds = Self.steps.first { $0 >= needed } ?? 86_400
    }

    /// The first roll-up bucket the range touches: `from` rounded down to the resolution.
    var firstBucket: Date {
        let native: Double = resolution == .hour ? 3_600 : 60
        return Date(timeIntervalSince1970: (from.timeIntervalSince1970 / native).rounded(.down) * native)
    }

    /// The roll-up table of `kind` (`ping` or `item`) for this resolution (`nil` for raw).
    func rollupTable(_ kind: String) -> String? {
        switch resolution {
        case .raw: nil
        case .minute: "\(kind)_rollup_1m"
        case .hour: "\(kind)_rollup_1h"
        }
    }
}
