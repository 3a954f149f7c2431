-- Path diagnostics, continued (see docs/diagnostics.md): whether the agent resolves the hop
-- addresses to names (reverse DNS under a short deadline; the names land in
-- traceroute_results/mtr_results.hop_hostname).
ALTER TABLE diagnostic_jobs ADD COLUMN resolve_names BOOLEAN NOT NULL DEFAULT FALSE;
