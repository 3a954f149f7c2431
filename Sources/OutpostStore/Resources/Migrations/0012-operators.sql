-- ===================== operators: users, sessions, API tokens =====================
-- A user may manage several regions; users.region (one) stays for the legacy importer only.
ALTER TABLE users
    ALTER COLUMN email DROP NOT NULL,
    ADD COLUMN failed_logins     INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
    ADD COLUMN last_failed_login TIMESTAMPTZ,
    ADD COLUMN password_set_at   TIMESTAMPTZ,
    ADD COLUMN disabled_at       TIMESTAMPTZ;

CREATE TABLE user_regions (
    user_id INTEGER      NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    region  VARCHAR(100) NOT NULL CHECK (length(region) > 0),
    PRIMARY KEY (user_id, region)
);
INSERT INTO user_regions (user_id, region)
SELECT id, region FROM users WHERE region IS NOT NULL AND length(region) > 0;

-- id_hash and csrf_hash: SHA-256 of the random values the browser holds; never the values.
CREATE TABLE user_sessions (
    id_hash      BYTEA PRIMARY KEY CHECK (octet_length(id_hash) = 32),
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_hash    BYTEA NOT NULL CHECK (octet_length(csrf_hash) = 32),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at   TIMESTAMPTZ NOT NULL,
    source       VARCHAR(64),
    ended_at     TIMESTAMPTZ,
    CHECK (expires_at > created_at)
);
CREATE INDEX idx_user_sessions_user ON user_sessions (user_id);

CREATE TABLE api_tokens (
    id             UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id        INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name           VARCHAR(100) NOT NULL CHECK (length(name) > 0),
    token_hash     BYTEA NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at     TIMESTAMPTZ,
    last_used_at   TIMESTAMPTZ,
    last_used_from VARCHAR(64),
    revoked_at     TIMESTAMPTZ,
    CHECK (expires_at IS NULL OR expires_at > created_at)
);
CREATE UNIQUE INDEX idx_api_tokens_live_name ON api_tokens (user_id, name) WHERE revoked_at IS NULL;

-- ===================== audit log (append only) =====================
-- actor: the username, or "cli" for a command run on the collector's host without a user;
-- changes: {"field": {"before": …, "after": …}}, secrets replaced by "********".
CREATE TABLE audit_log (
    id             BIGSERIAL PRIMARY KEY,
    at             TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor          VARCHAR(100) NOT NULL,
    actor_user_id  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    actor_token_id UUID REFERENCES api_tokens(id) ON DELETE SET NULL,
    source         VARCHAR(100) NOT NULL,
    action         VARCHAR(32)  NOT NULL,
    entity         VARCHAR(50)  NOT NULL,
    entity_id      VARCHAR(100),
    changes        JSONB NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX idx_audit_log_at ON audit_log (at DESC, id DESC);
CREATE INDEX idx_audit_log_entity ON audit_log (entity, entity_id);

CREATE FUNCTION outpost_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER trg_audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION outpost_audit_log_append_only();

-- ===================== maintenance windows =====================
-- One-off: starts_at..ends_at. Recurring: every match of schedule (5-field cron, UTC) opens a
-- window of duration_seconds, from starts_at until ends_at (NULL: for ever).
-- Targets: devices, branches or regions (any mix), in maintenance_window_targets.
CREATE TABLE maintenance_windows (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name             VARCHAR(200) NOT NULL CHECK (length(name) > 0),
    comment          TEXT,
    starts_at        TIMESTAMPTZ NOT NULL,
    ends_at          TIMESTAMPTZ,
    schedule         VARCHAR(100),
    duration_seconds INTEGER CHECK (duration_seconds BETWEEN 60 AND 604800),
    created_by       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    ended_at         TIMESTAMPTZ,
    CHECK (ends_at IS NULL OR ends_at > starts_at),
    CHECK ((schedule IS NULL) = (duration_seconds IS NULL)),
    CHECK (schedule IS NOT NULL OR ends_at IS NOT NULL)
);

CREATE TABLE maintenance_window_targets (
    window_id UUID NOT NULL REFERENCES maintenance_windows(id) ON DELETE CASCADE,
    device_id UUID REFERENCES standalone_devices(id) ON DELETE CASCADE,
    branch_id UUID REFERENCES branches(id) ON DELETE CASCADE,
    region    VARCHAR(100),
    CHECK (num_nonnulls(device_id, branch_id, region) = 1)
);
CREATE INDEX idx_maintenance_window_targets_window ON maintenance_window_targets (window_id);

-- ===================== alerts: operator actions =====================
ALTER TABLE alert_history
    ADD COLUMN acknowledgement_comment TEXT,
    ADD COLUMN resolved_by             INTEGER REFERENCES users(id) ON DELETE SET NULL,
    ADD COLUMN resolution_comment      TEXT,
    ADD COLUMN in_maintenance          BOOLEAN NOT NULL DEFAULT FALSE;