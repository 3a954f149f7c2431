import OutpostProbes
import Synchronization

/// The agent's ping load, as its health summary and `/metrics` report it.
public struct PingLoad: Sendable, Equatable {
    /// Echo requests per second the configuration asks for at its own interval (0 before the
    /// first configuration).
    public let demandPacketsPerSecond: Double
    /// The most echo requests per second the agent may send (`icmp_max_packets_per_second`).
    public let ceilingPacketsPerSecond: Int
    /// Ping rounds since the agent started that waited behind the send-rate limit beyond their
    /// budget (``ICMPEngine/roundsOverrun``).
    public let roundsOverrun: Int

    public init(demandPacketsPerSecond: Double, ceilingPacketsPerSecond: Int, roundsOverrun: Int) {
        self.demandPacketsPerSecond = demandPacketsPerSecond
        self.ceilingPacketsPerSecond = ceilingPacketsPerSecond
        self.roundsOverrun = roundsOverrun
    }
}

/// Where a running agent keeps its current ``PingRatePlan`` and reads its engine's overruns:
/// the source of ``PingLoad``, safe to read from any task.
public final class PingLoadMonitor: Sendable {
    private struct State {
        var plan: PingRatePlan?
        var engine: ICMPEngine?
    }

    private let ceilingPacketsPerSecond: Int
    private let state = Mutex(State())

    /// A monitor for an agent whose ceiling is `ceilingPacketsPerSecond`.
    public init(ceilingPacketsPerSecond: Int) {
        self.ceilingPacketsPerSecond = ceilingPacketsPerSecond
    }

    /// The load now: the latest plan's demand and ceiling, the engine's rounds overrun.
    public var current: PingLoad {
        let (plan, engine) = state.withLock { ($0.plan, $0.engine) }
        return PingLoad(
            demandPacketsPerSecond: plan?.demandPacketsPerSecond ?? 0,
            ceilingPacketsPerSecond: plan?.ceilingPacketsPerSecond ?? ceilingPacketsPerSecond,
            roundsOverrun: engine?.roundsOverrun ?? 0)
    }

    /// The plan of the configuration being pinged, `nil` before the first one.
    public var plan: PingRatePlan? { state.withLock { $0.plan } }

    func attach(_ engine: ICMPEngine) {
        state.withLock { $0.engine = engine }
    }

    func adopt(_ plan: PingRatePlan) {
        state.withLock { $0.plan = plan }
    }
}
