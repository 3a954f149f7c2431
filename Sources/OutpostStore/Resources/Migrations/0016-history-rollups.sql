-- History at every zoom level (docs/architecture.md, "Schema decisions"): one-minute and
-- one-hour roll-ups of ping rounds and numeric SNMP samples, recomputed from the raw rows by
-- the collectors' roll-up job from the (device, minute) and (item, minute) pairs that ingest
-- marks pending in the same transaction as the rows.

-- Monthly partitions for the one-hour roll-ups: <parent>_pYYYYMM covering
-- [first of the month 00:00 UTC, first of the next month 00:00 UTC).
CREATE FUNCTION outpost_ensure_monthly_partitions(parent regclass, first_month date, months integer)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    month date;
    partition_name text;
    created integer := 0;
BEGIN
    IF months < 0 OR months > 1200 THEN
        RAISE EXCEPTION 'months must be in 0...1200, got %', months;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('outpost_monthly_partitions'));
    FOR offset_months IN 0 .. months - 1 LOOP
        month := (date_trunc('month', first_month) + make_interval(months => offset_months))::date;
        partition_name := parent::text || '_p' || to_char(month, 'YYYYMM');
        IF to_regclass(partition_name) IS NULL THEN
            EXECUTE format(
                'CREATE TABLE %I PARTITION OF %s FOR VALUES FROM (%L) TO (%L)',
                partition_name, parent::text,
                month::timestamp AT TIME ZONE 'UTC',
                (month + interval '1 month')::timestamp AT TIME ZONE 'UTC');
            created := created + 1;
        END IF;
    END LOOP;
    RETURN created;
END;
$$;

-- Drops the monthly partitions whose whole month lies before `cutoff`; returns their names.
CREATE FUNCTION outpost_drop_monthly_partitions_before(parent regclass, cutoff date)
RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    child record;
    suffix text;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('outpost_monthly_partitions'));
    FOR child IN
        SELECT c.relname
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = parent
        ORDER BY c.relname
    LOOP
        suffix := substring(child.relname FROM '_p([0-9]{6})$');
        IF suffix IS NOT NULL AND to_date(suffix, 'YYYYMM') + interval '1 month' <= cutoff THEN
            EXECUTE format('DROP TABLE %I', child.relname);
            RETURN NEXT child.relname;
        END IF;
    END LOOP;
END;
$$;

-- avg_rtt_ms is the mean over the packets received (each round's average weighted by its
-- received packets); loss_percent is 100 * (sent - received) / sent; samples counts rounds;
-- up_seconds + down_seconds split the bucket's seconds by the share of reachable rounds
-- (a bucket without rounds has no row: unknown, neither up nor down).
CREATE TABLE ping_rollup_1m (
    device_id        UUID NOT NULL,
    bucket           TIMESTAMPTZ NOT NULL,
    min_rtt_ms       REAL,
    avg_rtt_ms       DOUBLE PRECISION,
    max_rtt_ms       REAL,
    packets_sent     INTEGER NOT NULL CHECK (packets_sent >= 0),
    packets_received INTEGER NOT NULL CHECK (packets_received >= 0),
    loss_percent     REAL CHECK (loss_percent BETWEEN 0 AND 100),
    samples          INTEGER NOT NULL CHECK (samples > 0),
    up_seconds       REAL NOT NULL CHECK (up_seconds >= 0),
    down_seconds     REAL NOT NULL CHECK (down_seconds >= 0),
    PRIMARY KEY (device_id, bucket)
) PARTITION BY RANGE (bucket);
CREATE TABLE ping_rollup_1h (
    device_id        UUID NOT NULL,
    bucket           TIMESTAMPTZ NOT NULL,
    min_rtt_ms       REAL,
    avg_rtt_ms       DOUBLE PRECISION,
    max_rtt_ms       REAL,
    packets_sent     INTEGER NOT NULL CHECK (packets_sent >= 0),
    packets_received INTEGER NOT NULL CHECK (packets_received >= 0),
    loss_percent     REAL CHECK (loss_percent BETWEEN 0 AND 100),
    samples          INTEGER NOT NULL CHECK (samples > 0),
    up_seconds       REAL NOT NULL CHECK (up_seconds >= 0),
    down_seconds     REAL NOT NULL CHECK (down_seconds >= 0),
    PRIMARY KEY (device_id, bucket)
) PARTITION BY RANGE (bucket);

-- The value of a sample is its rate (per second) when it has one (counters), else its number
-- unless it is a counter (a raw counter is no quantity to chart); samples without a value,
-- or with an error, are left out. avg_value is weighted by samples, last_value is the newest.
CREATE TABLE item_rollup_1m (
    item_id    UUID NOT NULL,
    bucket     TIMESTAMPTZ NOT NULL,
    device_id  UUID NOT NULL,
    min_value  DOUBLE PRECISION,
    avg_value  DOUBLE PRECISION,
    max_value  DOUBLE PRECISION,
    last_value DOUBLE PRECISION,
    samples    INTEGER NOT NULL CHECK (samples > 0),
    PRIMARY KEY (item_id, bucket)
) PARTITION BY RANGE (bucket);
CREATE TABLE item_rollup_1h (
    item_id    UUID NOT NULL,
    bucket     TIMESTAMPTZ NOT NULL,
    device_id  UUID NOT NULL,
    min_value  DOUBLE PRECISION,
    avg_value  DOUBLE PRECISION,
    max_value  DOUBLE PRECISION,
    last_value DOUBLE PRECISION,
    samples    INTEGER NOT NULL CHECK (samples > 0),
    PRIMARY KEY (item_id, bucket)
) PARTITION BY RANGE (bucket);

-- Work for the roll-up job: kind 'ping' (key_id a device) or 'item' (key_id an item), and the
-- minute whose raw rows changed. Ingest inserts in the transaction of the rows; the job
-- deletes in the transaction of the recomputed buckets.
CREATE TABLE rollup_pending (
    kind   VARCHAR(4) NOT NULL CHECK (kind IN ('ping', 'item')),
    key_id UUID NOT NULL,
    minute TIMESTAMPTZ NOT NULL CHECK (minute = date_trunc('minute', minute)),
    PRIMARY KEY (kind, key_id, minute)
);
CREATE INDEX idx_rollup_pending_minute ON rollup_pending (minute);

SELECT outpost_ensure_daily_partitions(t::regclass, (now() AT TIME ZONE 'UTC')::date - 1, 9)
FROM unnest(ARRAY['ping_rollup_1m', 'item_rollup_1m']) AS t;
SELECT outpost_ensure_monthly_partitions(t::regclass, (now() AT TIME ZONE 'UTC')::date - 31, 3)
FROM unnest(ARRAY['ping_rollup_1h', 'item_rollup_1h']) AS t;
