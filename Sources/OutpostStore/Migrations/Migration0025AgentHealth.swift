extension Migration {
    /// `agent_health`: the latest health summary each agent sent in its heartbeats (version,
    /// memory, spool backlog and drops, rounds overrun, ICMP load) with its receive time, for
    /// `agents list`, the agents API and the console (docs/architecture.md, "Agent health").
    static let agentHealth = Migration(
        version: 25,
        name: "agent_health",
        sql: EmbeddedResources.text("Migrations/0025-agent-health.sql")
    )
}
