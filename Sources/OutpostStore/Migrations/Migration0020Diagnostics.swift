extension Migration {
    /// Path diagnostics: `diagnostic_jobs` (traceroute and MTR runs of a device's branch agent,
    /// linked to the alert that triggered them), job and per-probe columns on
    /// `traceroute_results` / `mtr_results`, and `diagnostic_schedules`.
    static let diagnostics = Migration(
        version: 20,
        name: "diagnostics",
        sql: EmbeddedResources.text("Migrations/0020-diagnostics.sql")
    )
}
