CREATE FUNCTION outpost_ensure_daily_partitions(parent regclass, first_day date, days integer)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    day date;
    partition_name text;
    created integer := 0;
BEGIN
    IF days < 0 OR days > 3660 THEN
        RAISE EXCEPTION 'days must be in 0...3660, got %', days;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('outpost_daily_partitions'));
    FOR offset_days IN 0 .. days - 1 LOOP
        day := first_day + offset_days;
        partition_name := parent::text || '_p' || to_char(day, 'YYYYMMDD');
        IF to_regclass(partition_name) IS NULL THEN
            EXECUTE format(
                'CREATE TABLE %I PARTITION OF %s FOR VALUES FROM (%L) TO (%L)',
                partition_name, parent::text,
                day::timestamp AT TIME ZONE 'UTC',
                (day + 1)::timestamp AT TIME ZONE 'UTC');
            created := created + 1;
        END IF;
    END LOOP;
    RETURN created;
END;
$$;

CREATE FUNCTION outpost_drop_daily_partitions_before(parent regclass, cutoff date)
RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    child record;
    suffix text;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('outpost_daily_partitions'));
    FOR child IN
        SELECT c.relname
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = parent
        ORDER BY c.relname
    LOOP
        suffix := substring(child.relname FROM '_p([0-9]{8})$');
        IF suffix IS NOT NULL AND to_date(suffix, 'YYYYMMDD') < cutoff THEN
            EXECUTE format('DROP TABLE %I', child.relname);
            RETURN NEXT child.relname;
        END IF;
    END LOOP;
END;
$$;

SELECT outpost_ensure_daily_partitions(t::regclass, (now() AT TIME ZONE 'UTC')::date - 1, 9)
FROM unnest(ARRAY['ping_results', 'traceroute_results', 'mtr_results', 'item_history']) AS t;