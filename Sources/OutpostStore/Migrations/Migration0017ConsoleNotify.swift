extension Migration {
    /// Tells collectors what an open console page must show anew:
    /// `pg_notify('outpost_console', '{"kind":…,"device":…,"branch":…,"region":…}')` from row
    /// triggers (docs/architecture.md, "Console live updates").
    ///
    /// - `standalone_devices` updates that change what an operator sees: `down_since` or
    ///   `is_flapping` (`device_state`), `enabled` (`device_enabled`), `branch_id`
    ///   (`device_moved`, once for the old branch and once for the new). Ingest's rewrites of
    ///   `last_probe_at` and `last_seen` on every batch pass the trigger's condition only when the
    ///   state changed, so a steady state notifies nothing.
    /// - `alert_history` inserts, and updates of `acknowledged`, `resolved_at`, `suppressed_by`,
    ///   `in_maintenance` or `device_id` (`alert`), named by the alert's device and its branch.
    ///
    /// The region is that of the branch when the notice is sent; PostgreSQL folds identical
    /// notices within a transaction.
    static let consoleNotify = Migration(
        version: 17,
        name: "console_notify",
        sql: EmbeddedResources.text("Migrations/0017-console-notify.sql")
    )
}
