-- Availability reports (docs/reports.md): the one-minute ping buckets with unreachable seconds,
-- per device in time order, so that a month's outages are found without reading its every
-- minute. A partial index (most minutes are up and stay out of it) that holds the down seconds
-- too, so reports read it alone.
CREATE INDEX idx_ping_rollup_1m_down ON ping_rollup_1m (device_id, bucket) INCLUDE (down_seconds)
    WHERE down_seconds > 0;
