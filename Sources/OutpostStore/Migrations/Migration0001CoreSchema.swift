extension Migration {
    /// The legacy schema's tables (names and columns kept so the legacy web UI keeps working),
    /// with the four schema decisions (`docs/architecture.md`, "Schema decisions") applied:
    ///
    /// 1. Actor columns are INTEGER foreign keys to `users(id) ON DELETE SET NULL`.
    /// 2. `branches.device_count` is maintained by a trigger on `standalone_devices`.
    /// 3. `ping_results`, `traceroute_results`, `mtr_results` and `item_history` are range
    ///    partitioned by day on `timestamp` (see migration 3 for the partition functions).
    /// 4. Enumerations are CHECK constraints; the allowed values are listed beside each column.
    ///
    /// Deliberate type changes from the plan, each for correctness:
    /// - RTT columns are REAL milliseconds (LAN round trips are sub-millisecond; INTEGER stored 0),
    ///   `packet_loss_percent` is REAL in 0..100 (1 of 3 lost is 33.3 %, not 33 or 0.333).
    /// - History tables carry `device_id` (identity) beside `device_ip` (kept for the legacy UI)
    ///   and the `agent_id` that produced the row. They have no FK to `standalone_devices`:
    ///   a per-row FK check would halve COPY throughput, retention drops whole partitions, and
    ///   unknown device ids are counted by ingest instead.
    static let coreSchema = Migration(
        version: 1,
        name: "core_schema",
        sql: EmbeddedResources.text("Migrations/0001-core-schema.sql")
    )
}
