CREATE FUNCTION outpost_notify_alert_rules_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('outpost_alert_rules', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER trg_alert_rules_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON alert_rules
    FOR EACH STATEMENT EXECUTE FUNCTION outpost_notify_alert_rules_changed();