-- ===================== console live updates =====================
-- A notice on channel outpost_console for each change an open console page shows: a device's
-- state, its enabled flag or its branch, and an alert row raised, acknowledged or resolved.
-- Payload: {"kind": …, "device": uuid|null, "branch": uuid|null, "region": text|null}, a few
-- hundred bytes at most (a region name is 100 characters); the region lets each collector keep
-- a regional manager's stream to their regions without a lookup of its own.
CREATE FUNCTION outpost_notify_console(kind text, device uuid, branch uuid) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('outpost_console', json_build_object(
        'kind', kind, 'device', device, 'branch', branch,
        'region', (SELECT region FROM branches WHERE id = branch))::text);
END;
$$;

CREATE FUNCTION outpost_notify_console_device() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.branch_id IS DISTINCT FROM NEW.branch_id THEN
        PERFORM outpost_notify_console('device_moved', OLD.id, OLD.branch_id);
        PERFORM outpost_notify_console('device_moved', NEW.id, NEW.branch_id);
    ELSIF OLD.enabled IS DISTINCT FROM NEW.enabled THEN
        PERFORM outpost_notify_console('device_enabled', NEW.id, NEW.branch_id);
    ELSE
        PERFORM outpost_notify_console('device_state', NEW.id, NEW.branch_id);
    END IF;
    RETURN NULL;
END;
$$;

CREATE FUNCTION outpost_notify_console_alert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM outpost_notify_console('alert', NEW.device_id,
        (SELECT branch_id FROM standalone_devices WHERE id = NEW.device_id));
    RETURN NULL;
END;
$$;

-- Ingest rewrites last_probe_at (and last_seen) of every device it hears of on every batch: the
-- condition passes only the rows whose state an operator sees changed, so the steady state
-- notifies nothing and costs one comparison a row.
CREATE TRIGGER trg_standalone_devices_console
    AFTER UPDATE ON standalone_devices
    FOR EACH ROW WHEN (OLD.down_since IS DISTINCT FROM NEW.down_since
                       OR OLD.is_flapping IS DISTINCT FROM NEW.is_flapping
                       OR OLD.enabled IS DISTINCT FROM NEW.enabled
                       OR OLD.branch_id IS DISTINCT FROM NEW.branch_id)
    EXECUTE FUNCTION outpost_notify_console_device();

-- notifications_sent is appended to as pages go out: not a change an operator sees.
CREATE TRIGGER trg_alert_history_console_insert
    AFTER INSERT ON alert_history
    FOR EACH ROW EXECUTE FUNCTION outpost_notify_console_alert();
CREATE TRIGGER trg_alert_history_console_update
    AFTER UPDATE ON alert_history
    FOR EACH ROW WHEN (OLD.acknowledged IS DISTINCT FROM NEW.acknowledged
                       OR OLD.resolved_at IS DISTINCT FROM NEW.resolved_at
                       OR OLD.suppressed_by IS DISTINCT FROM NEW.suppressed_by
                       OR OLD.in_maintenance IS DISTINCT FROM NEW.in_maintenance
                       OR OLD.device_id IS DISTINCT FROM NEW.device_id)
    EXECUTE FUNCTION outpost_notify_console_alert();