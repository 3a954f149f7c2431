/// The time units a rule may write after a number: `100ms`, `10 seconds`, `5m`, `1 hour`, `2d`.
enum DurationUnit {
    /// Seconds per unit for every accepted spelling (lower case; matching ignores case).
    private static let secondsPerUnit: [String: Double] = [
        "ms": 0.001, "msec": 0.001, "msecs": 0.001, "millisecond": 0.001, "milliseconds": 0.001,
        "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
        "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
        "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
        "d": 86400, "day": 86400, "days": 86400,
    ]

    /// How many seconds one `word` is, or `nil` when `word` is not a time unit.
    static func seconds(in word: String) -> Double? {
        secondsPerUnit[word.lowercased()]
    }

    /// The spellings to suggest in an error message.
    static let hint = "use s, m, h or d (or seconds, minutes, hours, days)"
}
