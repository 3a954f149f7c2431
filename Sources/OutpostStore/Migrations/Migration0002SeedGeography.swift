extension Migration {
    /// Seeds Georgia's regions and their principal towns (English and Georgian names, WGS84
    /// coordinates as NUMERIC(9,6)). Idempotent: re-running inserts nothing new.
    static let seedGeorgianGeography = Migration(
        version: 2,
        name: "seed_georgian_geography",
        sql: EmbeddedResources.text("Migrations/0002-seed-georgian-geography.sql")
    )
}
