import OutpostCore

/// The agent's opening message: who it is comes from its certificate; this says where its
/// stream stands so the collector can answer with ``Welcome``.
public struct Hello: Sendable, Equatable {
    /// The agent's software version, e.g. `"1.4.2"` (at most 255 UTF-8 bytes).
    public var agentVersion: String
    /// The highest sequence the agent has seen acknowledged (0 before the first ack).
    public var lastAcknowledgedSequence: BatchSequence
    /// The version of the configuration snapshot the agent runs, `nil` when it has none yet.
    public var configVersion: String?
    /// Results the spool dropped (oldest first) since the last session because it was full.
    public var droppedResults: UInt64

    /// Creates a hello.
    public init(
        agentVersion: String, lastAcknowledgedSequence: BatchSequence, configVersion: String?, droppedResults: UInt64
    ) {
        self.agentVersion = agentVersion
        self.lastAcknowledgedSequence = lastAcknowledgedSequence
        self.configVersion = configVersion
        self.droppedResults = droppedResults
    }

    init(from reader: inout WireReader) throws(WireError) {
        agentVersion = try reader.readString(field: "hello.agentVersion", maximumLength: WireLimits.shortText)
        lastAcknowledgedSequence = try reader.readVarUInt(field: "hello.lastAcknowledgedSequence")
        configVersion =
            try reader.readPresence(field: "hello.configVersion")
            ? try reader.readString(field: "hello.configVersion", maximumLength: WireLimits.shortText)
            : nil
        droppedResults = try reader.readVarUInt(field: "hello.droppedResults")
    }

    func encode(to writer: inout WireWriter) throws(WireError) {
        try writer.writeString(agentVersion, field: "hello.agentVersion", maximumLength: WireLimits.shortText)
        writer.writeVarUInt(lastAcknowledgedSequence)
        writer.writePresence(configVersion != nil)
        if let configVersion {
            try writer.writeString(configVersion, field: "hello.configVersion", maximumLength: WireLimits.shortText)
        }
        writer.writeVarUInt(droppedResults)
    }
}
