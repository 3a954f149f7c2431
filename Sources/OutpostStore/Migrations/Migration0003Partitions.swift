extension Migration {
    /// Daily partition management for the time-series tables, as SQL functions so every
    /// collector (and an operator with psql) uses the same naming and locking:
    ///
    /// - `outpost_ensure_daily_partitions(parent, first_day, days)` creates
    ///   `<parent>_pYYYYMMDD` partitions covering `[day 00:00 UTC, next day 00:00 UTC)`;
    ///   concurrent callers serialise on an advisory transaction lock, so two collectors
    ///   never race on the same `CREATE TABLE`.
    /// - `outpost_drop_daily_partitions_before(parent, cutoff)` drops whole partitions whose
    ///   day is before `cutoff` and returns their names: retention never runs a bulk DELETE.
    static let dailyPartitions = Migration(
        version: 3,
        name: "daily_partitions",
        sql: EmbeddedResources.text("Migrations/0003-daily-partitions.sql")
    )
}
