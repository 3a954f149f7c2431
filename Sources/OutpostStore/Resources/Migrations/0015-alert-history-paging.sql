-- The alert desk pages alert history newest first by (triggered_at, id); without this index
-- every page sorted the whole table.
CREATE INDEX idx_alert_history_triggered ON alert_history (triggered_at DESC, id DESC);