ALTER TABLE standalone_devices SET (fillfactor = 50);

CREATE FUNCTION outpost_create_device_config_trigger() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    old_columns text;
    new_columns text;
BEGIN
    SELECT string_agg(format('OLD.%I', attname), ', ' ORDER BY attnum),
           string_agg(format('NEW.%I', attname), ', ' ORDER BY attnum)
      INTO old_columns, new_columns
      FROM pg_attribute
     WHERE attrelid = 'standalone_devices'::regclass AND attnum > 0 AND NOT attisdropped
       AND attname NOT IN ('last_seen', 'down_since', 'last_probe_at', 'updated_at', 'is_flapping');
    DROP TRIGGER IF EXISTS trg_standalone_devices_config_update ON standalone_devices;
    EXECUTE format(
        'CREATE TRIGGER trg_standalone_devices_config_update AFTER UPDATE ON standalone_devices '
        'FOR EACH ROW WHEN ((%s) IS DISTINCT FROM (%s)) EXECUTE FUNCTION outpost_notify_device_config_changed()',
        old_columns, new_columns);
END;
$$;

SELECT outpost_create_device_config_trigger();