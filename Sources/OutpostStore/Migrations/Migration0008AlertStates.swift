extension Migration {
    /// What the alert engine records beyond one row per episode:
    /// - `alert_history.kind`: `alert` (an episode of a rule on a device) or `flapping` (one row
    ///   per flapping period of a (rule, device) pair, resolved when flapping stops);
    /// - `alert_history.suppressed_by`: the edge router's alert that suppressed this one (no
    ///   notification was sent for it);
    /// - `standalone_devices.is_flapping`: some rule of the device is flapping now (excluded from
    ///   the configuration-change trigger: it is state, not configuration);
    /// - `branches.gateway_device_id`: the branch's edge router, which the branch's other devices
    ///   depend on;
    /// - `alert_leases`: which collector evaluates the alerts of a branch (or of a device without
    ///   branch), so that with several collectors each (rule, device) is evaluated by one.
    static let alertStates = Migration(
        version: 8,
        name: "alert_states",
        sql: EmbeddedResources.text("Migrations/0008-alert-states.sql")
    )
}
