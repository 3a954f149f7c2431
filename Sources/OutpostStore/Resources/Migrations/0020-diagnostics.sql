-- Path diagnostics: traceroute and MTR jobs run by the agent of a device's branch, on demand,
-- on schedule or when the device goes down (see docs/diagnostics.md).
--
-- kind: traceroute | mtr; status as discovery_jobs; trigger: manual | api | schedule | down | alert
CREATE TABLE diagnostic_jobs (
    id                UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    device_id         UUID NOT NULL REFERENCES standalone_devices(id) ON DELETE CASCADE,
    kind              VARCHAR(16) NOT NULL CHECK (kind IN ('traceroute', 'mtr')),
    probe_protocol    VARCHAR(8) NOT NULL DEFAULT 'icmp' CHECK (probe_protocol IN ('icmp', 'udp', 'tcp')),
    port              INTEGER NOT NULL DEFAULT 80 CHECK (port BETWEEN 1 AND 65535),
    cycles            INTEGER NOT NULL DEFAULT 1 CHECK (cycles BETWEEN 1 AND 100),
    trigger           VARCHAR(16) NOT NULL CHECK (trigger IN ('manual', 'api', 'schedule', 'down', 'alert')),
    status            VARCHAR(16) NOT NULL DEFAULT 'pending'
                      CHECK (status IN ('pending', 'dispatched', 'running', 'completed', 'failed', 'cancelled')),
    agent_id          UUID REFERENCES agents(id) ON DELETE SET NULL,
    alert_history_id  UUID REFERENCES alert_history(id) ON DELETE SET NULL,
    cancel_requested  BOOLEAN NOT NULL DEFAULT FALSE,
    completed_units   INTEGER NOT NULL DEFAULT 0 CHECK (completed_units >= 0),
    total_units       INTEGER CHECK (total_units >= 0),
    target_ip         VARCHAR(45) NOT NULL,
    ending            VARCHAR(16),
    hop_count         INTEGER CHECK (hop_count BETWEEN 0 AND 64),
    -- Responders of the hops ('' for a silent hop), and whether they differ from the device's
    -- previous completed trace of the same protocol.
    path              TEXT[],
    path_changed      BOOLEAN,
    detail            TEXT,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    dispatched_at     TIMESTAMPTZ,
    completed_at      TIMESTAMPTZ,
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_diagnostic_jobs_pending ON diagnostic_jobs (created_at) WHERE status = 'pending';
CREATE INDEX idx_diagnostic_jobs_device ON diagnostic_jobs (device_id, created_at DESC);
CREATE INDEX idx_diagnostic_jobs_alert ON diagnostic_jobs (alert_history_id) WHERE alert_history_id IS NOT NULL;

-- Hop rows of a job: every probe's RTT, what answered, MPLS labels.
ALTER TABLE traceroute_results
    ADD COLUMN job_id         UUID,
    ADD COLUMN probes_sent    INTEGER CHECK (probes_sent BETWEEN 0 AND 10),
    ADD COLUMN latencies_ms   REAL[],
    ADD COLUMN reply          VARCHAR(32),
    ADD COLUMN mpls_labels    INTEGER[];
CREATE INDEX idx_traceroute_results_job ON traceroute_results (job_id, hop_number);

ALTER TABLE mtr_results
    ADD COLUMN job_id         UUID,
    ADD COLUMN latency_last   REAL,
    ADD COLUMN latency_jitter REAL;
CREATE INDEX idx_mtr_results_job ON mtr_results (job_id, hop_number);

-- Scheduled traces: per device or per device type, every interval_seconds.
CREATE TABLE diagnostic_schedules (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    device_id        UUID REFERENCES standalone_devices(id) ON DELETE CASCADE,
    device_type      VARCHAR(100),
    kind             VARCHAR(16) NOT NULL DEFAULT 'traceroute' CHECK (kind IN ('traceroute', 'mtr')),
    probe_protocol   VARCHAR(8) NOT NULL DEFAULT 'icmp' CHECK (probe_protocol IN ('icmp', 'udp', 'tcp')),
    cycles           INTEGER NOT NULL DEFAULT 1 CHECK (cycles BETWEEN 1 AND 100),
    interval_seconds INTEGER NOT NULL CHECK (interval_seconds BETWEEN 60 AND 604800),
    enabled          BOOLEAN NOT NULL DEFAULT TRUE,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((device_id IS NULL) <> (device_type IS NULL))
);
