extension Migration {
    /// Indexes the one-minute ping buckets with unreachable seconds (a partial index on
    /// `ping_rollup_1m`, inherited by every daily partition): the down minutes an availability
    /// report walks into outages (docs/reports.md).
    static let outageMinutes = Migration(
        version: 18,
        name: "outage_minutes",
        sql: EmbeddedResources.text("Migrations/0018-outage-minutes.sql")
    )
}
