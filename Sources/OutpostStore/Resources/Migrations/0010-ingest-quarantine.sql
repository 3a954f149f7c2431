ALTER TABLE agents ALTER COLUMN version TYPE VARCHAR(255), ALTER COLUMN last_address TYPE VARCHAR(255);

-- status: held | replayed | discarded
CREATE TABLE ingest_quarantine (
    id           BIGSERIAL PRIMARY KEY,
    agent_id     UUID NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    sequence     BIGINT NOT NULL CHECK (sequence > 0),
    received_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    row_count    INTEGER NOT NULL CHECK (row_count >= 0),
    sqlstate     CHAR(5) NOT NULL,
    error        TEXT NOT NULL,
    payload      BYTEA NOT NULL,
    status       VARCHAR(16) NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'replayed', 'discarded')),
    resolved_at  TIMESTAMPTZ,
    UNIQUE (agent_id, sequence)
);
CREATE INDEX idx_ingest_quarantine_held ON ingest_quarantine (received_at) WHERE status = 'held';