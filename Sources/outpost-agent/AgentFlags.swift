import ArgumentParser
import OutpostAgent

/// The flags of `outpost-agent run` and `status`.
struct AgentFlags: ParsableArguments {
    @Option(
        help: "TOML configuration file (default: $OUTPOST_AGENT_CONFIG, else /etc/outpost/agent.toml if it exists).")
    var config: String?

    @Option(
        name: .customLong("state-dir"),
        help:
            "Agent state directory: key, certificate, spool, cached configuration (default: $OUTPOST_AGENT_STATE_DIR, state_dir, or /var/lib/outpost-agent)."
    )
    var stateDirectory: String?

    @Option(
        name: .customLong("collector"),
        help:
            "Collector mTLS address host:port, in order of preference (repeatable; default: $OUTPOST_COLLECTORS, comma-separated, or collectors)."
    )
    var collectors: [String] = []

    @Option(
        name: .customLong("server-name"),
        help: "Name the collector's certificate must carry (default: the host of each address).")
    var serverName: String?

    @Option(
        name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (default: info).")
    var logLevel: String?

    @Option(
        name: .customLong("metrics-listen"),
        help:
            "Serve Prometheus metrics on host:port, e.g. 127.0.0.1:9464 (default: $OUTPOST_AGENT_METRICS_LISTEN, metrics_listen, else none)."
    )
    var metricsListen: String?

    @Option(
        name: .customLong("icmp-max-pps"),
        help:
            "Most echo requests per second the agent sends; the rate follows the configuration below it (default: $OUTPOST_AGENT_ICMP_MAX_PPS, icmp_max_packets_per_second, else 20000)."
    )
    var icmpMaxPacketsPerSecond: String?

    /// The settings these flags select.
    func settings() throws -> AgentSettings {
        try AgentSettings(
            config: config, stateDirectory: stateDirectory, collectors: collectors, serverName: serverName,
            logLevel: logLevel, metricsListen: metricsListen, icmpMaxPacketsPerSecond: icmpMaxPacketsPerSecond)
    }
}
