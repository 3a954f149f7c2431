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