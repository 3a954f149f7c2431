import OutpostRules

/// SQL pieces the baseline queries share.
enum BaselineHours {
    /// Rows per INSERT … unnest statement.
    static let insertChunk = 20_000

    /// The hour of week (see `HourOfWeek`) of the timestamptz column `column`, as SQL.
    static func hourOfWeekSQL(_ column: String) -> String {
        "((floor(extract(epoch FROM \(column)) / 3600)::bigint + 72) % 168)::int"
    }

    /// The hours of week whose hourly means the baselines of `hours` pool.
    static func pooled(_ hours: [Int], learning: BaselineLearning) -> [Int] {
        Set(hours.flatMap(learning.pooledHours(of:))).sorted()
    }
}
