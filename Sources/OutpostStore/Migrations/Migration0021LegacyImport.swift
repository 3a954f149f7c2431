extension Migration {
    /// The legacy importer's bookkeeping: the legacy-id mapping and the ping history's progress
    /// (docs/legacy-import.md).
    static let legacyImport = Migration(
        version: 21,
        name: "legacy_import",
        sql: EmbeddedResources.text("Migrations/0021-legacy-import.sql")
    )
}
