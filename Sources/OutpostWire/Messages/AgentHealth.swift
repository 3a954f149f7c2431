/// How an agent is doing, carried in its heartbeats (`docs/protocol.md`, Heartbeat) so that the
/// collector shows which branch agent is in trouble without anyone logging into the branch.
///
/// Every counter is a total since the agent's spool directory (drops) or process (overruns)
/// began, so a lost heartbeat loses nothing; the collector keeps the latest summary. The values
/// come from a peer and are refused beyond their ranges: counters above 2⁶³−1 (they are stored
/// as `bigint`), a version longer than 255 bytes or holding control characters.
public struct AgentHealth: Sendable, Equatable {
    /// The largest counter or byte figure accepted (PostgreSQL's `bigint`).
    public static let maximumCounter = UInt64(Int64.max)

    /// The agent software's version, e.g. `"outpost-agent/0.1"` (1 to 255 UTF-8 bytes, no control characters).
    public var agentVersion: String
    /// Resident memory of the agent process (`VmRSS`), in bytes; 0 when unknown.
    public var residentBytes: UInt64
    /// Anonymous resident memory (`RssAnon`: heap and stacks, not code pages), in bytes; 0 when unknown.
    public var anonymousBytes: UInt64
    /// Bytes of the spool's segment files on disk (acknowledged batches included until their
    /// segment is deleted).
    public var spoolBytes: UInt64
    /// Batches spooled and not yet acknowledged by a collector: the delivery backlog.
    public var spoolPendingBatches: UInt64
    /// Batches the spool dropped (oldest first, past its caps or with the disk full), in total.
    public var spoolDroppedBatches: UInt64
    /// Results in those dropped batches, in total.
    public var spoolDroppedResults: UInt64
    /// Ping rounds that could not start on time because the previous one had not ended, in total.
    public var roundsOverrun: UInt64
    /// ICMP echo requests per second the configured devices and intervals need; 0 when unknown.
    public var icmpDemandPerSecond: UInt32
    /// The agent's ICMP send-rate ceiling in packets per second; 0 when unknown.
    public var icmpCeilingPerSecond: UInt32

    /// Whether the configured ping work cannot fit under the send-rate ceiling (both known and
    /// the demand above the ceiling): rounds are then spread over longer than their interval.
    public var cannotFit: Bool { icmpCeilingPerSecond > 0 && icmpDemandPerSecond > icmpCeilingPerSecond }

    /// Creates a summary.
    public init(
        agentVersion: String, residentBytes: UInt64, anonymousBytes: UInt64, spoolBytes: UInt64,
        spoolPendingBatches: UInt64, spoolDroppedBatches: UInt64, spoolDroppedResults: UInt64, roundsOverrun: UInt64,
        icmpDemandPerSecond: UInt32, icmpCeilingPerSecond: UInt32
    ) {
        self.agentVersion = agentVersion
        self.residentBytes = residentBytes
        self.anonymousBytes = anonymousBytes
        self.spoolBytes = spoolBytes
        self.spoolPendingBatches = spoolPendingBatches
        self.spoolDroppedBatches = spoolDroppedBatches
        self.spoolDroppedResults = spoolDroppedResults
        self.roundsOverrun = roundsOverrun
        self.icmpDemandPerSecond = icmpDemandPerSecond
        self.icmpCeilingPerSecond = icmpCeilingPerSecond
    }

    init(from reader: inout WireReader) throws(WireError) {
        agentVersion = try reader.readString(
            field: "heartbeat.health.agentVersion", maximumLength: WireLimits.shortText)
        try Self.check(version: agentVersion)
        residentBytes = try Self.counter(&reader, field: "heartbeat.health.residentBytes")
        anonymousBytes = try Self.counter(&reader, field: "heartbeat.health.anonymousBytes")
        spoolBytes = try Self.counter(&reader, field: "heartbeat.health.spoolBytes")
        spoolPendingBatches = try Self.counter(&reader, field: "heartbeat.health.spoolPendingBatches")
        spoolDroppedBatches = try Self.counter(&reader, field: "heartbeat.health.spoolDroppedBatches")
        spoolDroppedResults = try Self.counter(&reader, field: "heartbeat.health.spoolDroppedResults")
        roundsOverrun = try Self.counter(&reader, field: "heartbeat.health.roundsOverrun")
        icmpDemandPerSecond = try reader.readVarUInt(UInt32.self, field: "heartbeat.health.icmpDemandPerSecond")
        icmpCeilingPerSecond = try reader.readVarUInt(UInt32.self, field: "heartbeat.health.icmpCeilingPerSecond")
    }

    func encode(to writer: inout WireWriter) throws(WireError) {
        try Self.check(version: agentVersion)
        try writer.writeString(
            agentVersion, field: "heartbeat.health.agentVersion", maximumLength: WireLimits.shortText)
        let counters: [(UInt64, StaticString)] = [
            (residentBytes, "heartbeat.health.residentBytes"), (anonymousBytes, "heartbeat.health.anonymousBytes"),
            (spoolBytes, "heartbeat.health.spoolBytes"), (spoolPendingBatches, "heartbeat.health.spoolPendingBatches"),
            (spoolDroppedBatches, "heartbeat.health.spoolDroppedBatches"),
            (spoolDroppedResults, "heartbeat.health.spoolDroppedResults"),
            (roundsOverrun, "heartbeat.health.roundsOverrun"),
        ]
        for (value, field) in counters {
            guard value <= Self.maximumCounter else { throw Self.outOfRange(value, field: field) }
            writer.writeVarUInt(value)
        }
        writer.writeVarUInt(UInt64(icmpDemandPerSecond))
        writer.writeVarUInt(UInt64(icmpCeilingPerSecond))
    }

    /// A counter, refused above ``maximumCounter``.
    private static func counter(_ reader: inout WireReader, field: StaticString) throws(WireError) -> UInt64 {
        let value = try reader.readVarUInt(field: field)
        guard value <= maximumCounter else { throw outOfRange(value, field: field) }
        return value
    }

    private static func outOfRange(_ value: UInt64, field: StaticString) -> WireError {
        .invalidField(field: "\(field)", reason: "\(value) exceeds the limit of \(maximumCounter)")
    }

    /// A version is shown to operators (console, command line): never empty, never control characters.
    private static func check(version: String) throws(WireError) {
        guard !version.isEmpty else {
            throw .invalidField(field: "heartbeat.health.agentVersion", reason: "empty")
        }
        guard !version.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidField(field: "heartbeat.health.agentVersion", reason: "contains control characters")
        }
    }
}
