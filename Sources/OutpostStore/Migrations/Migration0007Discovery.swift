extension Migration {
    /// What collector-dispatched discovery needs beyond the legacy tables:
    ///
    /// - `discovery_rules`: several ranges and exclusions (`network_range` keeps the first for
    ///   legacy readers), candidate `discovery_credentials`, the branch or agent that sweeps, and
    ///   whether new devices are imported.
    /// - `discovery_jobs`: the agent it was dispatched to, when, the schedule slot it was created
    ///   for (unique per rule, so several collectors create one job per slot), a cancel request,
    ///   and the last progress time.
    /// - `discovery_results`: the job (a result is written once per job and address, so a
    ///   replayed batch writes nothing twice) and the existing device it was matched to.
    static let discovery = Migration(
        version: 7,
        name: "discovery",
        sql: EmbeddedResources.text("Migrations/0007-discovery.sql")
    )
}
