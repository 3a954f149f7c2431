-- Table items: one item_history row per row of the walked column, keyed by its instance
-- (the OID suffix after the column, e.g. the ifIndex) with the row's label (e.g. ifDescr).
ALTER TABLE item_history
    ADD COLUMN instance_key   VARCHAR(128) CHECK (instance_key ~ '^[0-9]+(\.[0-9]+)*$'),
    ADD COLUMN instance_label VARCHAR(255);

-- Interface inventory (IF-MIB ifTable/ifXTable) and the newest interface metrics, derived from
-- the samples of the interface items by the collector (docs/interfaces.md).
-- if_type: IANAifType; last_change_ticks: ifLastChange (the device's sysUpTime, 1/100 s);
-- missing_since: the first inventory walk that no longer showed the interface (kept, not deleted);
-- isp_override: the operator's ISP-uplink flag (NULL: the alias/description patterns decide);
-- isp_provider: the provider whose pattern matched, or the override's 'operator'.
ALTER TABLE device_interfaces
    ADD COLUMN if_type                   INTEGER,
    ADD COLUMN last_change_ticks         BIGINT CHECK (last_change_ticks >= 0),
    ADD COLUMN first_seen_at             TIMESTAMPTZ NOT NULL DEFAULT now(),
    ADD COLUMN last_seen_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    ADD COLUMN missing_since             TIMESTAMPTZ,
    ADD COLUMN oper_status_changed_at    TIMESTAMPTZ,
    ADD COLUMN isp_override              BOOLEAN,
    ADD COLUMN isp_provider              VARCHAR(100),
    ADD COLUMN in_bps                    DOUBLE PRECISION CHECK (in_bps >= 0),
    ADD COLUMN out_bps                   DOUBLE PRECISION CHECK (out_bps >= 0),
    ADD COLUMN in_utilisation_percent    DOUBLE PRECISION CHECK (in_utilisation_percent >= 0),
    ADD COLUMN out_utilisation_percent   DOUBLE PRECISION CHECK (out_utilisation_percent >= 0),
    ADD COLUMN errors_per_second         DOUBLE PRECISION CHECK (errors_per_second >= 0),
    ADD COLUMN discards_per_second       DOUBLE PRECISION CHECK (discards_per_second >= 0),
    ADD COLUMN metrics_at                TIMESTAMPTZ;
ALTER TABLE device_interfaces ALTER COLUMN updated_at SET DEFAULT now();

-- What classifies an interface as an ISP uplink of a provider: a text its alias or description
-- contains (case-insensitive); per deployment, seeded with the legacy's providers.
CREATE TABLE isp_link_patterns (
    provider   VARCHAR(100) PRIMARY KEY CHECK (length(provider) > 0),
    contains   VARCHAR(200) NOT NULL CHECK (length(contains) > 0),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO isp_link_patterns (provider, contains) VALUES
    ('Magti', 'magti'),
    ('Silknet', 'silknet');

-- Alert rules materialised from a template's triggers: the template and trigger they come from,
-- so re-importing or re-applying the template updates them and removing it removes them.
ALTER TABLE alert_rules
    ADD COLUMN template_id      UUID REFERENCES monitoring_templates(id) ON DELETE CASCADE,
    ADD COLUMN template_trigger VARCHAR(200);
CREATE UNIQUE INDEX idx_alert_rules_template_trigger
    ON alert_rules (device_id, template_id, template_trigger) WHERE template_id IS NOT NULL;
