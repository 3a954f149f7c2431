extension Migration {
    /// Replaces the legacy `performance_baselines` and `metric_baselines` with per-hour-of-week
    /// medians and MADs of RTT, loss and numeric items (with sample counts and when they were
    /// computed), and adds `baseline_progress`, the daily baseline job's place
    /// (docs/architecture.md, "Schema decisions").
    static let hourOfWeekBaselines = Migration(
        version: 19,
        name: "hour_of_week_baselines",
        sql: EmbeddedResources.text("Migrations/0019-hour-of-week-baselines.sql")
    )
}
