extension Migration {
    /// Hostile or broken input costs only itself:
    /// - `ingest_quarantine` keeps, whole, each batch whose rows broke a database rule on
    ///   ingest (SQLSTATE class 22 or 23), with the error, until an operator replays or
    ///   discards it (`outpost-collector quarantine`). `payload` is the signed batch as the
    ///   agent sent it, so a replay verifies its signature again.
    /// - `agents.version` and `agents.last_address` take what the wire allows: a version of up
    ///   to 255 bytes and an IPv6 peer address with its zone and port (the old 64 characters
    ///   refused such an agent's every Hello).
    static let ingestQuarantine = Migration(
        version: 10,
        name: "ingest_quarantine",
        sql: #"""
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
        """#
    )
}
