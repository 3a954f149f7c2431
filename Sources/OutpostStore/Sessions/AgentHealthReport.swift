import Foundation
import PostgresNIO

/// An agent's health summary as its heartbeat carried it (docs/architecture.md, "Agent
/// health"), in the units `agent_health` stores: bytes, totals, packets per second (0: unknown).
public struct AgentHealthReport: Sendable, Equatable, Encodable {
    /// The agent software's version.
    public let agentVersion: String
    /// Resident memory (`VmRSS`), bytes; 0 when unknown.
    public let residentBytes: Int64
    /// Anonymous resident memory (`RssAnon`), bytes; 0 when unknown.
    public let anonymousBytes: Int64
    /// The spool's segment files on disk, bytes.
    public let spoolBytes: Int64
    /// Batches spooled and not yet acknowledged.
    public let spoolPendingBatches: Int64
    /// Batches and results the spool dropped, in total.
    public let spoolDroppedBatches: Int64
    public let spoolDroppedResults: Int64
    /// Ping rounds that could not start on time, in total.
    public let roundsOverrun: Int64
    /// ICMP echo requests per second the configuration needs, and the agent's ceiling; 0 when unknown.
    public let icmpDemandPerSecond: Int64
    public let icmpCeilingPerSecond: Int64
    /// The demand is above a known ceiling: the configured pings cannot fit.
    public let cannotFit: Bool

    /// Creates a report; every figure is clamped to 0 or more.
    public init(
        agentVersion: String, residentBytes: Int64, anonymousBytes: Int64, spoolBytes: Int64,
        spoolPendingBatches: Int64, spoolDroppedBatches: Int64, spoolDroppedResults: Int64, roundsOverrun: Int64,
        icmpDemandPerSecond: Int64, icmpCeilingPerSecond: Int64
    ) {
        self.agentVersion = agentVersion
        self.residentBytes = max(residentBytes, 0)
        self.anonymousBytes = max(anonymousBytes, 0)
        self.spoolBytes = max(spoolBytes, 0)
        self.spoolPendingBatches = max(spoolPendingBatches, 0)
        self.spoolDroppedBatches = max(spoolDroppedBatches, 0)
        self.spoolDroppedResults = max(spoolDroppedResults, 0)
        self.roundsOverrun = max(roundsOverrun, 0)
        self.icmpDemandPerSecond = max(icmpDemandPerSecond, 0)
        self.icmpCeilingPerSecond = max(icmpCeilingPerSecond, 0)
        cannotFit = self.icmpCeilingPerSecond > 0 && self.icmpDemandPerSecond > self.icmpCeilingPerSecond
    }
}

/// The latest health summary stored for an agent, with when the collector received it.
public struct AgentHealthStatus: Sendable, Equatable, Encodable {
    private enum Key: String, CodingKey {
        case receivedAt
    }

    /// When the collector received the heartbeat carrying it (UTC).
    public let receivedAt: Date
    public let report: AgentHealthReport

    /// Creates a status.
    public init(receivedAt: Date, report: AgentHealthReport) {
        self.receivedAt = receivedAt
        self.report = report
    }

    /// The report's fields and `receivedAt` in one JSON object.
    public func encode(to encoder: any Encoder) throws {
        try report.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(receivedAt, forKey: .receivedAt)
    }

    /// The columns ``init(columns:)`` reads, for a query joining `agent_health h` (left join:
    /// an agent without a summary has them null).
    static let selectList = """
        h.received_at AS health_received_at, h.agent_version AS health_agent_version,
        h.resident_bytes AS health_resident_bytes, h.anonymous_bytes AS health_anonymous_bytes,
        h.spool_bytes AS health_spool_bytes, h.spool_pending_batches AS health_spool_pending_batches,
        h.spool_dropped_batches AS health_spool_dropped_batches,
        h.spool_dropped_results AS health_spool_dropped_results, h.rounds_overrun AS health_rounds_overrun,
        h.icmp_demand_pps AS health_icmp_demand_pps, h.icmp_ceiling_pps AS health_icmp_ceiling_pps
        """

    /// The status in a row selected with ``selectList``; `nil` when the agent sent none yet.
    init?(columns: PostgresRandomAccessRow) throws {
        guard let receivedAt = try columns["health_received_at"].decode(Date?.self) else { return nil }
        func figure(_ name: String) throws -> Int64 { try columns["health_" + name].decode(Int64.self) }
        self.receivedAt = receivedAt
        report = AgentHealthReport(
            agentVersion: try columns["health_agent_version"].decode(String.self),
            residentBytes: try figure("resident_bytes"), anonymousBytes: try figure("anonymous_bytes"),
            spoolBytes: try figure("spool_bytes"), spoolPendingBatches: try figure("spool_pending_batches"),
            spoolDroppedBatches: try figure("spool_dropped_batches"),
            spoolDroppedResults: try figure("spool_dropped_results"), roundsOverrun: try figure("rounds_overrun"),
            icmpDemandPerSecond: try figure("icmp_demand_pps"), icmpCeilingPerSecond: try figure("icmp_ceiling_pps"))
    }
}
