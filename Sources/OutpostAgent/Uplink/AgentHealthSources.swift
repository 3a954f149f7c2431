/// The ping schedule's load, as the agent's health summary reports it
/// (`docs/architecture.md`, "Agent health").
public struct PingLoad: Sendable, Equatable {
    /// ICMP echo requests per second the configured devices and intervals need.
    public var demandPerSecond: UInt32
    /// The send-rate ceiling in packets per second.
    public var ceilingPerSecond: UInt32
    /// Ping rounds that could not start on time since the agent started.
    public var roundsOverrun: UInt64

    /// Creates a load report.
    public init(demandPerSecond: UInt32, ceilingPerSecond: UInt32, roundsOverrun: UInt64) {
        self.demandPerSecond = demandPerSecond
        self.ceilingPerSecond = ceilingPerSecond
        self.roundsOverrun = roundsOverrun
    }
}

/// Where the uplink reads the figures of its health summary that neither the spool nor the
/// process itself holds. The default knows none of them: they are reported as 0 (unknown).
public struct AgentHealthSources: Sendable {
    /// The ping schedule's current load; `nil` while unknown.
    public var pingLoad: @Sendable () async -> PingLoad?

    /// Sources reading the ping load from `pingLoad`.
    public init(pingLoad: @escaping @Sendable () async -> PingLoad? = { nil }) {
        self.pingLoad = pingLoad
    }
}
