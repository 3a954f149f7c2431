ALTER TABLE monitoring_items
    ADD COLUMN name     VARCHAR(100) CHECK (name ~ '^[a-z][a-z0-9_]*$'),
    ADD COLUMN is_table BOOLEAN NOT NULL DEFAULT FALSE;
CREATE UNIQUE INDEX idx_monitoring_items_template_item ON monitoring_items (device_id, template_id, name);

ALTER TABLE monitoring_templates
    ADD COLUMN match_vendors JSONB NOT NULL DEFAULT '[]'::jsonb
        CHECK (jsonb_typeof(match_vendors) = 'array');