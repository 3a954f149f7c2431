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
