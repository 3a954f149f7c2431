-- ===================== legacy WARD OPS import (docs/legacy-import.md) =====================
-- Which Outpost row each imported legacy row became, so a later run updates instead of
-- duplicating. legacy_id: a UUID lower-case with dashes, else the legacy's text (user ids).
CREATE TABLE legacy_import_map (
    legacy_table VARCHAR(64)  NOT NULL CHECK (length(legacy_table) > 0),
    legacy_id    VARCHAR(100) NOT NULL CHECK (length(legacy_id) > 0),
    outpost_id   VARCHAR(100) NOT NULL CHECK (length(outpost_id) > 0),
    imported_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (legacy_table, legacy_id)
);

-- How far the ping history was copied: every legacy ping_results row with id <= last_id is in
-- ping_results or the roll-ups (or was counted as skipped). Written in the transaction of each
-- copied batch, so a killed import resumes after the last committed batch.
CREATE TABLE legacy_import_progress (
    legacy_table VARCHAR(64) PRIMARY KEY,
    source       VARCHAR(500) NOT NULL,
    last_id      BIGINT NOT NULL CHECK (last_id >= 0),
    rows_copied  BIGINT NOT NULL DEFAULT 0 CHECK (rows_copied >= 0),
    rows_rolled  BIGINT NOT NULL DEFAULT 0 CHECK (rows_rolled >= 0),
    rows_skipped BIGINT NOT NULL DEFAULT 0 CHECK (rows_skipped >= 0),
    checksum     NUMERIC NOT NULL DEFAULT 0,
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
