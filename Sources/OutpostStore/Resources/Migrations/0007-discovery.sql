ALTER TABLE discovery_rules
    ADD COLUMN network_ranges  TEXT[] NOT NULL DEFAULT '{}',
    ADD COLUMN excluded_ranges TEXT[] NOT NULL DEFAULT '{}',
    ADD COLUMN credential_ids  UUID[] NOT NULL DEFAULT '{}',
    ADD COLUMN branch_id       UUID REFERENCES branches(id) ON DELETE SET NULL,
    ADD COLUMN agent_id        UUID REFERENCES agents(id) ON DELETE SET NULL,
    ADD COLUMN auto_import     BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN snmp_port       INTEGER NOT NULL DEFAULT 161 CHECK (snmp_port BETWEEN 1 AND 65535);
UPDATE discovery_rules SET network_ranges = ARRAY[network_range] WHERE cardinality(network_ranges) = 0;
CREATE UNIQUE INDEX idx_discovery_rules_name ON discovery_rules (name);

ALTER TABLE discovery_jobs
    ADD COLUMN agent_id         UUID REFERENCES agents(id) ON DELETE SET NULL,
    ADD COLUMN dispatched_at    TIMESTAMPTZ,
    ADD COLUMN scheduled_for    TIMESTAMPTZ,
    ADD COLUMN cancel_requested BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN updated_at       TIMESTAMPTZ;
CREATE UNIQUE INDEX idx_discovery_jobs_slot ON discovery_jobs (rule_id, scheduled_for) WHERE scheduled_for IS NOT NULL;
CREATE INDEX idx_discovery_jobs_agent ON discovery_jobs (agent_id) WHERE status IN ('dispatched', 'running');

ALTER TABLE discovery_results
    ADD COLUMN job_id            UUID REFERENCES discovery_jobs(id) ON DELETE CASCADE,
    ADD COLUMN matched_device_id UUID REFERENCES standalone_devices(id) ON DELETE SET NULL,
    ADD COLUMN sys_name          VARCHAR(255),
    ADD COLUMN sys_location      VARCHAR(255),
    ADD COLUMN responds_to_icmp  BOOLEAN NOT NULL DEFAULT FALSE;
CREATE UNIQUE INDEX idx_discovery_results_job_ip ON discovery_results (job_id, ip_address);
CREATE INDEX idx_discovery_results_mac ON discovery_results (mac_address) WHERE mac_address IS NOT NULL;