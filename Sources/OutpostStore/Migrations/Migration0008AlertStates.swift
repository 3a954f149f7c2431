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
        sql: #"""
        ALTER TABLE alert_history
            ADD COLUMN kind VARCHAR(20) NOT NULL DEFAULT 'alert' CHECK (kind IN ('alert', 'flapping')),
            ADD COLUMN suppressed_by UUID REFERENCES alert_history(id) ON DELETE SET NULL;
        CREATE INDEX idx_alert_history_suppressed_by ON alert_history (suppressed_by) WHERE suppressed_by IS NOT NULL;

        ALTER TABLE standalone_devices ADD COLUMN is_flapping BOOLEAN NOT NULL DEFAULT FALSE;
        ALTER TABLE branches ADD COLUMN gateway_device_id UUID REFERENCES standalone_devices(id) ON DELETE SET NULL;

        -- scope_id: a branch id, or the id of a device that has no branch.
        CREATE TABLE alert_leases (
            scope_id   UUID PRIMARY KEY,
            owner      VARCHAR(200) NOT NULL,
            expires_at TIMESTAMPTZ NOT NULL
        );

        DROP TRIGGER trg_standalone_devices_config_update ON standalone_devices;
        CREATE TRIGGER trg_standalone_devices_config_update
            AFTER UPDATE ON standalone_devices
            FOR EACH ROW WHEN (to_jsonb(OLD) - '{last_seen,down_since,last_probe_at,updated_at,is_flapping}'::text[]
                               IS DISTINCT FROM to_jsonb(NEW) - '{last_seen,down_since,last_probe_at,updated_at,is_flapping}'::text[])
            EXECUTE FUNCTION outpost_notify_device_config_changed();
        """#
    )
}
