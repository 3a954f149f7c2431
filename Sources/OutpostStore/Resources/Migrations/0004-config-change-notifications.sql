CREATE FUNCTION outpost_notify_config_branches(branch_ids uuid[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    branch uuid;
BEGIN
    FOR branch IN SELECT DISTINCT b FROM unnest(branch_ids) AS b WHERE b IS NOT NULL LOOP
        PERFORM pg_notify('outpost_config_changed', json_build_object('branch', branch)::text);
    END LOOP;
END;
$$;

CREATE FUNCTION outpost_notify_device_config_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- OLD is NULL on INSERT and NEW is NULL on DELETE.
    PERFORM outpost_notify_config_branches(ARRAY[OLD.branch_id, NEW.branch_id]);
    RETURN NULL;
END;
$$;

CREATE FUNCTION outpost_notify_device_child_config_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM outpost_notify_config_branches(ARRAY(
        SELECT branch_id FROM standalone_devices WHERE id IN (OLD.device_id, NEW.device_id)));
    RETURN NULL;
END;
$$;

CREATE FUNCTION outpost_notify_template_config_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM outpost_notify_config_branches(ARRAY(
        SELECT d.branch_id FROM monitoring_items i JOIN standalone_devices d ON d.id = i.device_id
        WHERE i.template_id = OLD.id));
    RETURN NULL;
END;
$$;

CREATE FUNCTION outpost_notify_settings_config_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.key LIKE 'ping.%' OR NEW.key LIKE 'ping.%' THEN
        PERFORM pg_notify('outpost_config_changed', '{"all":true}');
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER trg_standalone_devices_config_insert_delete
    AFTER INSERT OR DELETE ON standalone_devices
    FOR EACH ROW EXECUTE FUNCTION outpost_notify_device_config_changed();
CREATE TRIGGER trg_standalone_devices_config_update
    AFTER UPDATE ON standalone_devices
    FOR EACH ROW WHEN (to_jsonb(OLD) - '{last_seen,down_since,last_probe_at,updated_at}'::text[]
                       IS DISTINCT FROM to_jsonb(NEW) - '{last_seen,down_since,last_probe_at,updated_at}'::text[])
    EXECUTE FUNCTION outpost_notify_device_config_changed();

CREATE TRIGGER trg_monitoring_items_config_insert_delete
    AFTER INSERT OR DELETE ON monitoring_items
    FOR EACH ROW EXECUTE FUNCTION outpost_notify_device_child_config_changed();
CREATE TRIGGER trg_monitoring_items_config_update
    AFTER UPDATE ON monitoring_items
    FOR EACH ROW WHEN (to_jsonb(OLD) - '{last_poll,last_value,last_error,updated_at}'::text[]
                       IS DISTINCT FROM to_jsonb(NEW) - '{last_poll,last_value,last_error,updated_at}'::text[])
    EXECUTE FUNCTION outpost_notify_device_child_config_changed();

CREATE TRIGGER trg_snmp_credentials_config
    AFTER INSERT OR UPDATE OR DELETE ON snmp_credentials
    FOR EACH ROW EXECUTE FUNCTION outpost_notify_device_child_config_changed();

CREATE TRIGGER trg_monitoring_templates_config
    AFTER UPDATE OR DELETE ON monitoring_templates
    FOR EACH ROW EXECUTE FUNCTION outpost_notify_template_config_changed();

CREATE TRIGGER trg_system_config_config
    AFTER INSERT OR UPDATE OR DELETE ON system_config
    FOR EACH ROW EXECUTE FUNCTION outpost_notify_settings_config_changed();