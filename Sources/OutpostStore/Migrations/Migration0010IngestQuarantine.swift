extension Migration {
    /// Hostile or broken input costs only itself:
    /// - `ingest_quarantine` keeps, whole, each batch whose rows broke a database rule on
    ///   ingest (SQLSTATE class 22 or 23), with the error, until an operator replays or
    ///   discards it (`outpost-collector quarantine`). `payload` is the signed batch as the
    ///   agent sent it, so a replay verifies its signature again.
    /// - `agents.version` and `agents.last_address` take what the wire allows: a version of up
    ///   to 255 bytes and an IPv6 peer address with its zone and port (the old 64 characters
    ///   refused such an agent's every Hello).
    static let ingestQuarantine = Migration(
        version: 10,
        name: "ingest_quarantine",
        sql: EmbeddedResources.text("Migrations/0010-ingest-quarantine.sql")
    )
}
