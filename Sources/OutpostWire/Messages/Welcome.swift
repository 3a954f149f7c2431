import Foundation
import OutpostCore

/// The collector's answer to ``Hello``: the session is open.
public struct Welcome: Sendable, Equatable {
    /// The agent's identity as the collector read it from the client certificate.
    public var agentID: AgentID
    /// The sequence the collector expects next (its committed high-water mark + 1); the agent
    /// resends every spooled batch from there on.
    public var nextExpectedSequence: BatchSequence
    /// The collector's clock (UTC), to let the agent report its own clock's offset.
    public var serverTime: Date

    /// Creates a welcome.
    public init(agentID: AgentID, nextExpectedSequence: BatchSequence, serverTime: Date) {
        self.agentID = agentID
        self.nextExpectedSequence = nextExpectedSequence
        self.serverTime = serverTime
    }

    init(from reader: inout WireReader) throws(WireError) {
        agentID = AgentID(try reader.readUUID(field: "welcome.agentID"))
        nextExpectedSequence = try reader.readVarUInt(field: "welcome.nextExpectedSequence")
        serverTime = try reader.readTimestamp(field: "welcome.serverTime")
    }

    func encode(to writer: inout WireWriter) throws(WireError) {
        writer.writeUUID(agentID.uuid)
        writer.writeVarUInt(nextExpectedSequence)
        try writer.writeTimestamp(serverTime, field: "welcome.serverTime")
    }
}
