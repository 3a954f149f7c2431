-- The health summary each agent sends in its heartbeats (docs/protocol.md, Heartbeat;
-- docs/architecture.md, "Agent health"): one row per agent, the latest summary with the time
-- the collector received it (UTC). Written by the agent's own session only, at most once per
-- heartbeat (every 15 s). Byte figures and totals are bigint like the wire's 2^63-1 limit;
-- packet rates are 0 when the agent does not know them.
CREATE TABLE agent_health (
    agent_id               UUID PRIMARY KEY REFERENCES agents(id) ON DELETE CASCADE,
    received_at            TIMESTAMPTZ NOT NULL,
    agent_version          VARCHAR(255) NOT NULL CHECK (agent_version <> ''),
    resident_bytes         BIGINT NOT NULL CHECK (resident_bytes >= 0),
    anonymous_bytes        BIGINT NOT NULL CHECK (anonymous_bytes >= 0),
    spool_bytes            BIGINT NOT NULL CHECK (spool_bytes >= 0),
    spool_pending_batches  BIGINT NOT NULL CHECK (spool_pending_batches >= 0),
    spool_dropped_batches  BIGINT NOT NULL CHECK (spool_dropped_batches >= 0),
    spool_dropped_results  BIGINT NOT NULL CHECK (spool_dropped_results >= 0),
    rounds_overrun         BIGINT NOT NULL CHECK (rounds_overrun >= 0),
    icmp_demand_pps        BIGINT NOT NULL CHECK (icmp_demand_pps BETWEEN 0 AND 4294967295),
    icmp_ceiling_pps       BIGINT NOT NULL CHECK (icmp_ceiling_pps BETWEEN 0 AND 4294967295)
);
