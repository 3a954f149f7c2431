-- Baselines per hour of week (docs/architecture.md, "Schema decisions"; docs/alert-rules.md,
-- "Baselines"): what is normal for a device's RTT and loss and for its numeric items, learned by
-- the collectors' daily baseline job from the one-hour roll-ups of migration 16.
--
-- The legacy tables of migration 1 (one row per device address with integer averages, and
-- per-metric integer rows without an item) cannot hold a median and MAD per hour of week and
-- were never filled by Outpost: they are replaced.
DROP TABLE performance_baselines;
DROP TABLE metric_baselines;

-- hour_of_week: 0 is Monday 00:00-01:00 UTC, 167 Sunday 23:00-24:00. A median and its MAD are
-- both set or both NULL (too few hourly means: no baseline, never a baseline of zero); a row has
-- at least one of RTT and loss. *_samples: how many hourly means the figures were learned from.
CREATE TABLE performance_baselines (
    device_id           UUID NOT NULL REFERENCES standalone_devices(id) ON DELETE CASCADE,
    hour_of_week        SMALLINT NOT NULL CHECK (hour_of_week BETWEEN 0 AND 167),
    rtt_median_ms       DOUBLE PRECISION,
    rtt_mad_ms          DOUBLE PRECISION CHECK (rtt_mad_ms >= 0),
    rtt_samples         INTEGER NOT NULL CHECK (rtt_samples >= 0),
    loss_median_percent DOUBLE PRECISION,
    loss_mad_percent    DOUBLE PRECISION CHECK (loss_mad_percent >= 0),
    loss_samples        INTEGER NOT NULL CHECK (loss_samples >= 0),
    computed_at         TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (device_id, hour_of_week),
    CHECK ((rtt_median_ms IS NULL) = (rtt_mad_ms IS NULL)),
    CHECK ((loss_median_percent IS NULL) = (loss_mad_percent IS NULL)),
    CHECK (rtt_median_ms IS NOT NULL OR loss_median_percent IS NOT NULL)
);

-- The same for each numeric item, from item_rollup_1h.avg_value (rates for counters).
CREATE TABLE metric_baselines (
    item_id      UUID NOT NULL REFERENCES monitoring_items(id) ON DELETE CASCADE,
    device_id    UUID NOT NULL REFERENCES standalone_devices(id) ON DELETE CASCADE,
    hour_of_week SMALLINT NOT NULL CHECK (hour_of_week BETWEEN 0 AND 167),
    median_value DOUBLE PRECISION NOT NULL,
    mad_value    DOUBLE PRECISION NOT NULL CHECK (mad_value >= 0),
    samples      INTEGER NOT NULL CHECK (samples > 0),
    computed_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (item_id, hour_of_week)
);
CREATE INDEX idx_metric_baselines_device ON metric_baselines (device_id, hour_of_week);

-- Where the job is (one row): the baselines include every hourly roll-up before
-- computed_through, a UTC midnight. A restarted job continues from the day after it.
CREATE TABLE baseline_progress (
    singleton        BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
    computed_through TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);