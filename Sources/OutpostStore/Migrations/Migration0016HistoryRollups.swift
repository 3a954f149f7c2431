extension Migration {
    /// One-minute and one-hour roll-ups of ping rounds and numeric SNMP samples (daily and
    /// monthly partitions), the `rollup_pending` work list that ingest fills, and the monthly
    /// partition functions `outpost_ensure_monthly_partitions` and
    /// `outpost_drop_monthly_partitions_before` (the daily ones of migration 3, by month).
    static let historyRollups = Migration(
        version: 16,
        name: "history_rollups",
        sql: EmbeddedResources.text("Migrations/0016-history-rollups.sql")
    )
}
