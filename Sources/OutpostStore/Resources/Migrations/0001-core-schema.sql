-- ===================== organisations and system configuration =====================
CREATE TABLE organizations (
    id                SERIAL PRIMARY KEY,
    name              VARCHAR(255) NOT NULL,
    subdomain         VARCHAR(100) UNIQUE,
    zabbix_url        VARCHAR(500),
    zabbix_user       VARCHAR(255),
    zabbix_password   VARCHAR(255),
    monitored_groups  JSONB NOT NULL DEFAULT '[]'::jsonb,
    logo_url          VARCHAR(500),
    primary_color     VARCHAR(7) NOT NULL DEFAULT '#5EBBA8'
                      CHECK (primary_color ~ '^#[0-9A-Fa-f]{6}$'),
    is_active         BOOLEAN NOT NULL DEFAULT TRUE,
    is_setup_complete BOOLEAN NOT NULL DEFAULT FALSE,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ
);

CREATE TABLE system_config (
    id          SERIAL PRIMARY KEY,
    key         VARCHAR(100) NOT NULL UNIQUE,
    value       TEXT,
    description VARCHAR(500),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ
);

CREATE TABLE setup_wizard_state (
    id              SERIAL PRIMARY KEY,
    step_1_welcome  BOOLEAN NOT NULL DEFAULT FALSE,
    step_2_zabbix   BOOLEAN NOT NULL DEFAULT FALSE,
    step_3_groups   BOOLEAN NOT NULL DEFAULT FALSE,
    step_4_admin    BOOLEAN NOT NULL DEFAULT FALSE,
    step_5_complete BOOLEAN NOT NULL DEFAULT FALSE,
    is_complete     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ
);

-- ===================== users =====================
-- role: admin | regional_manager | technician | viewer
-- theme_preference: light | dark | auto
CREATE TABLE users (
    id                    SERIAL PRIMARY KEY,
    username              VARCHAR(50)  NOT NULL UNIQUE,
    email                 VARCHAR(100) NOT NULL UNIQUE,
    full_name             VARCHAR(100),
    hashed_password       VARCHAR(255) NOT NULL,
    role                  VARCHAR(32)  NOT NULL DEFAULT 'viewer'
                          CHECK (role IN ('admin', 'regional_manager', 'technician', 'viewer')),
    organization_id       INTEGER REFERENCES organizations(id) ON DELETE SET NULL,
    is_superuser          BOOLEAN NOT NULL DEFAULT FALSE,
    region                VARCHAR(50),
    branches              TEXT,
    is_active             BOOLEAN NOT NULL DEFAULT TRUE,
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_login            TIMESTAMPTZ,
    theme_preference      VARCHAR(10) NOT NULL DEFAULT 'auto'
                          CHECK (theme_preference IN ('light', 'dark', 'auto')),
    language              VARCHAR(10) NOT NULL DEFAULT 'en',
    timezone              VARCHAR(50) NOT NULL DEFAULT 'UTC',
    notifications_enabled BOOLEAN NOT NULL DEFAULT TRUE,
    dashboard_layout      JSONB
);
CREATE INDEX idx_users_organization ON users (organization_id);

-- ===================== branches and inventory =====================
CREATE TABLE branches (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name         VARCHAR(200) NOT NULL UNIQUE,
    display_name VARCHAR(200) NOT NULL,
    region       VARCHAR(100),
    branch_code  VARCHAR(10),
    address      TEXT,
    is_active    BOOLEAN NOT NULL DEFAULT TRUE,
    device_count INTEGER NOT NULL DEFAULT 0 CHECK (device_count >= 0),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ
);
CREATE INDEX idx_branches_region ON branches (region);
CREATE INDEX idx_branches_active ON branches (is_active);

CREATE TABLE monitored_hostgroups (
    id           SERIAL PRIMARY KEY,
    groupid      VARCHAR(64)  NOT NULL UNIQUE,
    name         VARCHAR(255) NOT NULL,
    display_name VARCHAR(255),
    is_active    BOOLEAN NOT NULL DEFAULT TRUE,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_monitored_hostgroups_active ON monitored_hostgroups (is_active);

CREATE TABLE georgian_regions (
    id         SERIAL PRIMARY KEY,
    name_en    VARCHAR(100) NOT NULL UNIQUE,
    name_ka    VARCHAR(100),
    latitude   NUMERIC(9,6) NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude  NUMERIC(9,6) NOT NULL CHECK (longitude BETWEEN -180 AND 180),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE georgian_cities (
    id         SERIAL PRIMARY KEY,
    name_en    VARCHAR(100) NOT NULL UNIQUE,
    name_ka    VARCHAR(100),
    region_id  INTEGER NOT NULL REFERENCES georgian_regions(id) ON DELETE CASCADE,
    latitude   NUMERIC(9,6) NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude  NUMERIC(9,6) NOT NULL CHECK (longitude BETWEEN -180 AND 180),
    is_active  BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_georgian_cities_region ON georgian_cities (region_id);

CREATE TABLE standalone_devices (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name            VARCHAR(200) NOT NULL,
    ip              VARCHAR(45)  NOT NULL,   -- not unique: the inventory has duplicate IPs
    hostname        VARCHAR(255),
    vendor          VARCHAR(100),
    device_type     VARCHAR(100),
    model           VARCHAR(100),
    location        VARCHAR(200),
    description     TEXT,
    enabled         BOOLEAN NOT NULL DEFAULT TRUE,
    discovered_at   TIMESTAMPTZ,
    last_seen       TIMESTAMPTZ,
    down_since      TIMESTAMPTZ,             -- set by ingest on the first failed round
    last_probe_at   TIMESTAMPTZ,             -- newest round ingest derived the state from
    tags            JSONB DEFAULT '[]'::jsonb,
    custom_fields   JSONB DEFAULT '{}'::jsonb,
    branch_id       UUID REFERENCES branches(id) ON DELETE SET NULL,
    normalized_name VARCHAR(200),
    device_subtype  VARCHAR(100),
    floor_info      VARCHAR(50),
    unit_number     INTEGER,
    original_name   VARCHAR(200),
    ssh_port        INTEGER NOT NULL DEFAULT 22 CHECK (ssh_port BETWEEN 1 AND 65535),
    ssh_username    VARCHAR(100),
    ssh_enabled     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ
);
CREATE INDEX idx_standalone_devices_branch  ON standalone_devices (branch_id);
CREATE INDEX idx_standalone_devices_type    ON standalone_devices (device_type);
CREATE INDEX idx_standalone_devices_subtype ON standalone_devices (device_subtype);
CREATE INDEX idx_standalone_devices_enabled ON standalone_devices (enabled);
CREATE INDEX idx_standalone_devices_ip      ON standalone_devices (ip);

-- ===================== time series (daily range partitions) =====================
CREATE TABLE ping_results (
    id                  BIGSERIAL,
    device_id           UUID,
    agent_id            UUID,
    device_ip           VARCHAR(50) NOT NULL,
    device_name         VARCHAR(255),
    packets_sent        INTEGER NOT NULL DEFAULT 5 CHECK (packets_sent >= 0),
    packets_received    INTEGER NOT NULL DEFAULT 0 CHECK (packets_received >= 0),
    packet_loss_percent REAL    NOT NULL DEFAULT 100
                        CHECK (packet_loss_percent BETWEEN 0 AND 100),
    min_rtt_ms          REAL,
    avg_rtt_ms          REAL,
    max_rtt_ms          REAL,
    stddev_rtt_ms       REAL,
    is_reachable        BOOLEAN NOT NULL DEFAULT FALSE,
    timestamp           TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (id, timestamp)
) PARTITION BY RANGE (timestamp);
CREATE INDEX idx_ping_results_device_ip_ts ON ping_results (device_ip, timestamp DESC);
CREATE INDEX idx_ping_results_device_id_ts ON ping_results (device_id, timestamp DESC);
-- BRIN: rows arrive in time order, so a block-range index serves time scans at a
-- fraction of a B-tree's insert cost.
CREATE INDEX idx_ping_results_timestamp ON ping_results USING brin (timestamp);

CREATE TABLE traceroute_results (
    id           BIGSERIAL,
    device_id    UUID,
    agent_id     UUID,
    device_ip    VARCHAR(50) NOT NULL,
    device_name  VARCHAR(255),
    hop_number   INTEGER NOT NULL CHECK (hop_number BETWEEN 1 AND 255),
    hop_ip       VARCHAR(50),
    hop_hostname VARCHAR(255),
    latency_ms   REAL,
    packet_loss  REAL NOT NULL DEFAULT 0 CHECK (packet_loss BETWEEN 0 AND 100),
    timestamp    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (id, timestamp)
) PARTITION BY RANGE (timestamp);
CREATE INDEX idx_traceroute_results_device_ip_ts ON traceroute_results (device_ip, timestamp DESC);

CREATE TABLE mtr_results (
    id                  BIGSERIAL,
    device_id           UUID,
    agent_id            UUID,
    device_ip           VARCHAR(50) NOT NULL,
    device_name         VARCHAR(255),
    hop_number          INTEGER NOT NULL CHECK (hop_number BETWEEN 1 AND 255),
    hop_ip              VARCHAR(50),
    hop_hostname        VARCHAR(255),
    packets_sent        INTEGER NOT NULL DEFAULT 0 CHECK (packets_sent >= 0),
    packets_received    INTEGER NOT NULL DEFAULT 0 CHECK (packets_received >= 0),
    packet_loss_percent REAL NOT NULL DEFAULT 0 CHECK (packet_loss_percent BETWEEN 0 AND 100),
    latency_avg         REAL,
    latency_min         REAL,
    latency_max         REAL,
    latency_stddev      REAL,
    timestamp           TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (id, timestamp)
) PARTITION BY RANGE (timestamp);
CREATE INDEX idx_mtr_results_device_ip_ts ON mtr_results (device_ip, timestamp DESC);

-- ===================== baselines =====================
CREATE TABLE performance_baselines (
    id                         BIGSERIAL PRIMARY KEY,
    device_ip                  VARCHAR(50) NOT NULL UNIQUE,
    device_name                VARCHAR(255),
    baseline_latency_avg       INTEGER,
    baseline_latency_stddev    INTEGER,
    baseline_packet_loss       INTEGER NOT NULL DEFAULT 0,
    latency_warning_threshold  INTEGER,
    latency_critical_threshold INTEGER,
    packet_loss_threshold      INTEGER NOT NULL DEFAULT 5,
    samples_count              INTEGER NOT NULL DEFAULT 0,
    last_calculated            TIMESTAMPTZ,
    created_at                 TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at                 TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- time_period: hourly | daily | weekly
CREATE TABLE metric_baselines (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    device_id    UUID NOT NULL REFERENCES standalone_devices(id) ON DELETE CASCADE,
    metric_name  VARCHAR(100) NOT NULL,
    avg_value    INTEGER,
    min_value    INTEGER,
    max_value    INTEGER,
    std_dev      INTEGER,
    time_period  VARCHAR(20) CHECK (time_period IN ('hourly', 'daily', 'weekly')),
    hour_of_day  INTEGER CHECK (hour_of_day BETWEEN 0 AND 23),
    day_of_week  INTEGER CHECK (day_of_week BETWEEN 0 AND 6),
    sample_count INTEGER,
    last_updated TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_metric_baselines_device ON metric_baselines (device_id);

-- ===================== monitoring =====================
-- mode: zabbix | standalone | hybrid
CREATE TABLE monitoring_profiles (
    id          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name        VARCHAR(100) NOT NULL UNIQUE,
    mode        VARCHAR(20) NOT NULL CHECK (mode IN ('zabbix', 'standalone', 'hybrid')),
    is_active   BOOLEAN NOT NULL DEFAULT FALSE,
    description TEXT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ
);

CREATE TABLE monitoring_templates (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name         VARCHAR(100) NOT NULL UNIQUE,
    description  TEXT,
    vendor       VARCHAR(100),
    device_types JSONB DEFAULT '[]'::jsonb,
    items        JSONB DEFAULT '[]'::jsonb,
    triggers     JSONB DEFAULT '[]'::jsonb,
    is_builtin   BOOLEAN NOT NULL DEFAULT FALSE,
    is_default   BOOLEAN NOT NULL DEFAULT FALSE,
    created_by   INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ
);

-- value_type: integer | float | string | counter32 | counter64 | gauge32 | timeticks
--             | octetstring | oid | ipaddress
CREATE TABLE monitoring_items (
    id          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    device_id   UUID NOT NULL REFERENCES standalone_devices(id) ON DELETE CASCADE,
    template_id UUID REFERENCES monitoring_templates(id) ON DELETE SET NULL,
    oid_name    VARCHAR(100) NOT NULL,
    oid         VARCHAR(200) NOT NULL CHECK (oid ~ '^\.?[0-9]+(\.[0-9]+)*$'),
    interval    INTEGER NOT NULL DEFAULT 60 CHECK (interval BETWEEN 1 AND 86400),
    value_type  VARCHAR(20) NOT NULL DEFAULT 'integer'
                CHECK (value_type IN ('integer', 'float', 'string', 'counter32', 'counter64',
                                      'gauge32', 'timeticks', 'octetstring', 'oid', 'ipaddress')),
    units       VARCHAR(20),
    enabled     BOOLEAN NOT NULL DEFAULT TRUE,
    last_poll   TIMESTAMPTZ,
    last_value  TEXT,
    last_error  TEXT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ
);
CREATE INDEX idx_monitoring_items_device   ON monitoring_items (device_id);
CREATE INDEX idx_monitoring_items_template ON monitoring_items (template_id);

-- value_type: as item_history stores SNMP types (see OutpostCore.SNMPValue.typeName)
CREATE TABLE item_history (
    item_id       UUID NOT NULL,
    device_id     UUID NOT NULL,
    agent_id      UUID,
    value_type    VARCHAR(20) NOT NULL
                  CHECK (value_type IN ('integer', 'counter32', 'counter64', 'gauge32', 'timeticks',
                                        'octetstring', 'oid', 'ipaddress', 'opaque', 'null',
                                        'nosuchobject', 'nosuchinstance', 'endofmibview', 'error')),
    value_numeric DOUBLE PRECISION,
    value_text    TEXT,
    rate          DOUBLE PRECISION,
    error         TEXT,
    timestamp     TIMESTAMPTZ NOT NULL
) PARTITION BY RANGE (timestamp);
CREATE INDEX idx_item_history_item_ts ON item_history (item_id, timestamp DESC);

-- version: v1 | v2c | v3; security_level: noAuthNoPriv | authNoPriv | authPriv
-- auth_protocol: MD5 | SHA | SHA-224 | SHA-256 | SHA-384 | SHA-512
-- priv_protocol: DES | AES | AES-192 | AES-256
-- *_encrypted columns hold AES-GCM ciphertext under the collector's master key.
CREATE TABLE snmp_credentials (
    id                  UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    device_id           UUID NOT NULL REFERENCES standalone_devices(id) ON DELETE CASCADE,
    version             VARCHAR(10) NOT NULL CHECK (version IN ('v1', 'v2c', 'v3')),
    community_encrypted TEXT,
    username            VARCHAR(100),
    auth_protocol       VARCHAR(20)
                        CHECK (auth_protocol IN ('MD5', 'SHA', 'SHA-224', 'SHA-256', 'SHA-384', 'SHA-512')),
    auth_key_encrypted  TEXT,
    priv_protocol       VARCHAR(20) CHECK (priv_protocol IN ('DES', 'AES', 'AES-192', 'AES-256')),
    priv_key_encrypted  TEXT,
    security_level      VARCHAR(20)
                        CHECK (security_level IN ('noAuthNoPriv', 'authNoPriv', 'authPriv')),
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ,
    CHECK (version = 'v3' OR community_encrypted IS NOT NULL),
    CHECK (version <> 'v3' OR (username IS NOT NULL AND security_level IS NOT NULL))
);
CREATE INDEX idx_snmp_credentials_device ON snmp_credentials (device_id);

CREATE TABLE device_interfaces (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    device_id    UUID NOT NULL REFERENCES standalone_devices(id) ON DELETE CASCADE,
    if_index     INTEGER NOT NULL CHECK (if_index > 0),
    name         VARCHAR(255),
    description  TEXT,
    alias        VARCHAR(255),
    mac_address  VARCHAR(17),
    speed_bps    BIGINT CHECK (speed_bps >= 0),
    mtu          INTEGER,
    admin_status VARCHAR(16) CHECK (admin_status IN ('up', 'down', 'testing')),
    oper_status  VARCHAR(16) CHECK (oper_status IN ('up', 'down', 'testing', 'unknown', 'dormant',
                                                     'notPresent', 'lowerLayerDown')),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (device_id, if_index)
);

-- ===================== alerting =====================
-- severity: critical | high | warning | medium | low | info
CREATE TABLE alert_rules (
    id                      UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    device_id               UUID REFERENCES standalone_devices(id) ON DELETE CASCADE,
    branch_id               UUID REFERENCES branches(id) ON DELETE CASCADE,
    name                    VARCHAR(200) NOT NULL,
    description             TEXT,
    expression              VARCHAR(500) NOT NULL,
    severity                VARCHAR(20) NOT NULL
                            CHECK (severity IN ('critical', 'high', 'warning', 'medium', 'low', 'info')),
    notification_channels   JSONB DEFAULT '[]'::jsonb,
    notification_recipients JSONB DEFAULT '[]'::jsonb,
    device_group            VARCHAR(100),
    monitoring_item_id      UUID REFERENCES monitoring_items(id) ON DELETE SET NULL,
    enabled                 BOOLEAN NOT NULL DEFAULT TRUE,
    created_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at              TIMESTAMPTZ
);
CREATE INDEX idx_alert_rules_device ON alert_rules (device_id);
CREATE INDEX idx_alert_rules_branch ON alert_rules (branch_id);

CREATE TABLE alert_history (
    id                 UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    rule_id            UUID NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE,
    device_id          UUID REFERENCES standalone_devices(id) ON DELETE SET NULL,
    severity           VARCHAR(20) NOT NULL
                       CHECK (severity IN ('critical', 'high', 'warning', 'medium', 'low', 'info')),
    message            TEXT NOT NULL,
    value              VARCHAR(100),
    rule_name          VARCHAR(200),
    threshold          VARCHAR(500),
    triggered_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    acknowledged       BOOLEAN NOT NULL DEFAULT FALSE,
    acknowledged_by    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    acknowledged_at    TIMESTAMPTZ,
    resolved_at        TIMESTAMPTZ,
    notifications_sent JSONB DEFAULT '[]'::jsonb,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (resolved_at IS NULL OR resolved_at >= triggered_at)
);
CREATE INDEX idx_alert_history_rule   ON alert_history (rule_id);
CREATE INDEX idx_alert_history_device ON alert_history (device_id);
CREATE INDEX idx_alert_history_open   ON alert_history (triggered_at) WHERE resolved_at IS NULL;

-- ===================== discovery and topology =====================
CREATE TABLE discovery_rules (
    id                 UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name               VARCHAR(200) NOT NULL,
    description        TEXT,
    network_range      VARCHAR(100) NOT NULL,
    enabled            BOOLEAN NOT NULL DEFAULT TRUE,
    schedule           VARCHAR(100),
    snmp_discovery     BOOLEAN NOT NULL DEFAULT TRUE,
    snmp_communities   JSONB,
    ping_only          BOOLEAN NOT NULL DEFAULT FALSE,
    last_run           TIMESTAMPTZ,
    last_devices_found INTEGER NOT NULL DEFAULT 0 CHECK (last_devices_found >= 0),
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ
);

-- snmp_version: v1 | v2c | v3
CREATE TABLE discovery_results (
    id                  UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    rule_id             UUID NOT NULL REFERENCES discovery_rules(id) ON DELETE CASCADE,
    ip_address          VARCHAR(45) NOT NULL,
    hostname            VARCHAR(255),
    mac_address         VARCHAR(17),
    vendor              VARCHAR(100),
    device_type         VARCHAR(50),
    snmp_reachable      BOOLEAN NOT NULL DEFAULT FALSE,
    snmp_version        VARCHAR(10) CHECK (snmp_version IN ('v1', 'v2c', 'v3')),
    sys_descr           TEXT,
    sys_object_id       VARCHAR(200),
    discovered_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    added_to_monitoring BOOLEAN NOT NULL DEFAULT FALSE,
    added_at            TIMESTAMPTZ,
    imported_device_id  UUID REFERENCES standalone_devices(id) ON DELETE SET NULL
);
CREATE INDEX idx_discovery_results_rule ON discovery_results (rule_id);
CREATE INDEX idx_discovery_results_ip   ON discovery_results (ip_address);

-- status: pending | dispatched | running | completed | failed | cancelled
-- triggered_by: schedule | manual | api
CREATE TABLE discovery_jobs (
    id                 UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    rule_id            UUID NOT NULL REFERENCES discovery_rules(id) ON DELETE CASCADE,
    status             VARCHAR(50) NOT NULL DEFAULT 'pending'
                       CHECK (status IN ('pending', 'dispatched', 'running', 'completed', 'failed', 'cancelled')),
    total_ips          INTEGER NOT NULL DEFAULT 0 CHECK (total_ips >= 0),
    scanned_ips        INTEGER NOT NULL DEFAULT 0 CHECK (scanned_ips >= 0),
    discovered_devices INTEGER NOT NULL DEFAULT 0 CHECK (discovered_devices >= 0),
    imported_devices   INTEGER NOT NULL DEFAULT 0 CHECK (imported_devices >= 0),
    failed_ips         INTEGER NOT NULL DEFAULT 0 CHECK (failed_ips >= 0),
    started_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    completed_at       TIMESTAMPTZ,
    duration_seconds   INTEGER CHECK (duration_seconds >= 0),
    error_message      TEXT,
    scan_summary       JSONB,
    triggered_by       VARCHAR(50) CHECK (triggered_by IN ('schedule', 'manual', 'api')),
    triggered_by_user  INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX idx_discovery_jobs_status ON discovery_jobs (status);
CREATE INDEX idx_discovery_jobs_rule   ON discovery_jobs (rule_id);

-- credential_type: snmp_v1 | snmp_v2c | snmp_v3 | ssh
CREATE TABLE discovery_credentials (
    id                     UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name                   VARCHAR(200) NOT NULL,
    credential_type        VARCHAR(50) NOT NULL
                           CHECK (credential_type IN ('snmp_v1', 'snmp_v2c', 'snmp_v3', 'ssh')),
    community_encrypted    TEXT,
    username               VARCHAR(100),
    auth_protocol          VARCHAR(20)
                           CHECK (auth_protocol IN ('MD5', 'SHA', 'SHA-224', 'SHA-256', 'SHA-384', 'SHA-512')),
    auth_key_encrypted     TEXT,
    priv_protocol          VARCHAR(20) CHECK (priv_protocol IN ('DES', 'AES', 'AES-192', 'AES-256')),
    priv_key_encrypted     TEXT,
    ssh_username           VARCHAR(100),
    ssh_password_encrypted TEXT,
    ssh_key_encrypted      TEXT,
    success_count          INTEGER NOT NULL DEFAULT 0 CHECK (success_count >= 0),
    failure_count          INTEGER NOT NULL DEFAULT 0 CHECK (failure_count >= 0),
    last_success           TIMESTAMPTZ,
    created_by             INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at             TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_discovery_credentials_type ON discovery_credentials (credential_type);

-- connection_type: lldp | cdp | arp | manual | traceroute
CREATE TABLE network_topology (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    source_ip        VARCHAR(45) NOT NULL,
    source_device_id UUID REFERENCES standalone_devices(id) ON DELETE CASCADE,
    target_ip        VARCHAR(45) NOT NULL,
    target_device_id UUID REFERENCES standalone_devices(id) ON DELETE CASCADE,
    connection_type  VARCHAR(50)
                     CHECK (connection_type IN ('lldp', 'cdp', 'arp', 'manual', 'traceroute')),
    interface_name   VARCHAR(100),
    target_interface VARCHAR(100),
    vlan_id          INTEGER CHECK (vlan_id BETWEEN 1 AND 4094),
    discovered_via   VARCHAR(50),
    is_active        BOOLEAN NOT NULL DEFAULT TRUE,
    last_seen        TIMESTAMPTZ NOT NULL DEFAULT now(),
    first_discovered TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_network_topology_source ON network_topology (source_ip);
CREATE INDEX idx_network_topology_target ON network_topology (target_ip);

-- ===================== agents, enrolment, sequencing =====================
-- status: active | revoked
CREATE TABLE agents (
    id                     UUID PRIMARY KEY,
    branch_id              UUID NOT NULL REFERENCES branches(id) ON DELETE RESTRICT,
    name                   VARCHAR(200),
    public_key             BYTEA NOT NULL,        -- P-256 X9.63 point, as in the certificate
    cert_serial            VARCHAR(64) NOT NULL UNIQUE,  -- hex
    cert_not_after         TIMESTAMPTZ NOT NULL,
    status                 VARCHAR(16) NOT NULL DEFAULT 'active'
                           CHECK (status IN ('active', 'revoked')),
    enrolled_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen              TIMESTAMPTZ,
    last_address           VARCHAR(64),
    version                VARCHAR(64),
    config_version_acked   VARCHAR(128),
    spool_backlog_batches  BIGINT NOT NULL DEFAULT 0 CHECK (spool_backlog_batches >= 0),
    dropped_results_total  BIGINT NOT NULL DEFAULT 0 CHECK (dropped_results_total >= 0)
);
CREATE INDEX idx_agents_branch ON agents (branch_id);

CREATE TABLE enrolment_tokens (
    id             UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    token_hash     BYTEA NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),  -- SHA-256 only
    branch_id      UUID NOT NULL REFERENCES branches(id) ON DELETE CASCADE,
    created_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at     TIMESTAMPTZ NOT NULL,
    used_at        TIMESTAMPTZ,
    used_by_agent  UUID REFERENCES agents(id) ON DELETE SET NULL,
    revoked_at     TIMESTAMPTZ,
    CHECK (expires_at > created_at)
);

CREATE TABLE revoked_certificates (
    serial     VARCHAR(64) PRIMARY KEY,            -- hex
    agent_id   UUID REFERENCES agents(id) ON DELETE SET NULL,
    revoked_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    reason     TEXT
);

-- high_water: every sequence <= it is committed (or was dropped by the agent's spool);
-- committed_above: committed sequences above high_water (batches that arrived out of order).
CREATE TABLE agent_sequences (
    agent_id        UUID PRIMARY KEY REFERENCES agents(id) ON DELETE CASCADE,
    high_water      BIGINT NOT NULL DEFAULT 0 CHECK (high_water >= 0),
    committed_above BIGINT[] NOT NULL DEFAULT '{}',
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- ===================== branches.device_count trigger =====================
CREATE FUNCTION outpost_maintain_branch_device_count() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD.branch_id IS NOT NULL THEN
        UPDATE branches SET device_count = device_count - 1 WHERE id = OLD.branch_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.branch_id IS NOT NULL THEN
        UPDATE branches SET device_count = device_count + 1 WHERE id = NEW.branch_id;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER trg_standalone_devices_count_insert_delete
    AFTER INSERT OR DELETE ON standalone_devices
    FOR EACH ROW EXECUTE FUNCTION outpost_maintain_branch_device_count();
CREATE TRIGGER trg_standalone_devices_count_branch_change
    AFTER UPDATE OF branch_id ON standalone_devices
    FOR EACH ROW WHEN (OLD.branch_id IS DISTINCT FROM NEW.branch_id)
    EXECUTE FUNCTION outpost_maintain_branch_device_count();