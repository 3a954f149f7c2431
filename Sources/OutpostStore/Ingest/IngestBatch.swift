import OutpostCore

/// The rows of one verified agent batch, ready to be written.
public struct IngestBatch: Sendable {
    /// The agent that signed the batch (already checked against its certificate).
    public let agentID: AgentID
    /// The batch's sequence number in that agent's stream.
    public let sequence: BatchSequence
    /// Ping rounds, one `ping_results` row each.
    public let pings: [PingRoundResult]
    /// SNMP samples, one `item_history` row each.
    public let samples: [ItemSample]
    /// The signed batch as the agent sent it: what is kept in quarantine when its rows break a
    /// database rule (empty when the batch did not come from the wire).
    public let payload: [UInt8]

    /// Creates a batch.
    public init(
        agentID: AgentID, sequence: BatchSequence, pings: [PingRoundResult] = [], samples: [ItemSample] = [],
        payload: [UInt8] = []
    ) {
        self.agentID = agentID
        self.sequence = sequence
        self.pings = pings
        self.samples = samples
        self.payload = payload
    }

    /// Rows this batch carries.
    public var rowCount: Int { pings.count + samples.count }
}

/// What one group commit did.
public struct IngestOutcome: Sendable, Equatable {
    /// Batches whose rows were committed by this transaction.
    public var committed: [BatchKey] = []
    /// Batches already committed earlier (replays): acknowledged, not written again.
    public var duplicates: [BatchKey] = []
    /// Rows written.
    public var rowsWritten = 0
    /// Ping rows naming a device id that is not in `standalone_devices` (written, and counted).
    public var unknownDeviceRows = 0
    /// Devices whose reachability changed in this transaction (up -> down or down -> up).
    public var stateChanges: [DeviceStateChange] = []

    public init() {}
}

/// An agent's batch, by identity.
public struct BatchKey: Hashable, Sendable {
    public let agentID: AgentID
    public let sequence: BatchSequence

    public init(agentID: AgentID, sequence: BatchSequence) {
        self.agentID = agentID
        self.sequence = sequence
    }
}

/// A device that went down or came back, as derived on ingest.
public struct DeviceStateChange: Sendable, Equatable {
    public let deviceID: DeviceID
    /// `true` when the device became reachable, `false` when it went down.
    public let isUp: Bool
}
