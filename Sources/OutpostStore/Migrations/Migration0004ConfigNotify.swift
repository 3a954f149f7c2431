extension Migration {
    /// Tells collectors which branch's agent configuration changed:
    /// `pg_notify('outpost_config_changed', '{"branch":"<uuid>"}')` or `'{"all":true}'` (see
    /// ``BranchConfigStore/changeChannel``) from row triggers on every table a snapshot is made of.
    ///
    /// - `standalone_devices`: insert, delete, and updates other than the probe-status columns
    ///   the collector's ingest writes on every batch (`last_seen`, `down_since`,
    ///   `last_probe_at`, `updated_at`); a device moving branch notifies both branches.
    /// - `monitoring_items` (ignoring `last_poll`, `last_value`, `last_error`, `updated_at`) and
    ///   `snmp_credentials`: the branch of the device they belong to (before and after, when
    ///   the row moves to another device). A row deleted by the cascade of its device's
    ///   deletion finds no device: the device's own trigger has notified that branch.
    /// - `monitoring_templates` updates and deletes: the branches of the devices with items
    ///   materialised from the template (a template insert has no items yet).
    /// - `system_config` rows whose key starts with `ping.` (the ping settings every agent
    ///   receives): `{"all":true}`, every branch.
    ///
    /// Notifications are delivered at commit and PostgreSQL folds identical ones within a
    /// transaction, so a bulk change of one branch in one transaction notifies it once. The
    /// exclusion lists are deliberate: a configuration column the snapshot starts to use
    /// later is covered without a new migration.
    static let configChangeNotifications = Migration(
        version: 4,
        name: "config_change_notifications",
        sql: EmbeddedResources.text("Migrations/0004-config-change-notifications.sql")
    )
}
