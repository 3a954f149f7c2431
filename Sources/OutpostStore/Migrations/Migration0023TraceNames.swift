extension Migration {
    /// Path diagnostics, continued (docs/diagnostics.md): `diagnostic_jobs.resolve_names`, whether
    /// the agent resolves the hop addresses of the job to names.
    static let traceNames = Migration(
        version: 23,
        name: "trace-names",
        sql: EmbeddedResources.text("Migrations/0023-trace-names.sql")
    )
}
