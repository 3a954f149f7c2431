extension Migration {
    /// The operators' side: users with several regions and brute-force counters, server-side
    /// login sessions and hashed API tokens, the append-only audit log, maintenance windows
    /// over devices, branches or regions, and the operator's comments on alerts.
    ///
    /// `users.email` becomes optional (`user add` does not require one). Sessions and tokens
    /// keep only SHA-256 digests of the secrets their holders present.
    static let operators = Migration(
        version: 12,
        name: "operators",
        sql: EmbeddedResources.text("Migrations/0012-operators.sql")
    )
}
