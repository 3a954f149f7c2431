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
        sql: #"""
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
        """#
    )
}
