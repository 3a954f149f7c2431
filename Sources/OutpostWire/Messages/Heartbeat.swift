import Foundation

/// Sent by either side when it has sent nothing for a while; its absence for long enough
/// means the peer or the path is gone. An agent also sends one every ``idleInterval`` whatever
/// else it sends, carrying its ``AgentHealth``.
public struct Heartbeat: Sendable, Equatable {
    /// A side sends a heartbeat when it has sent nothing for this long; an agent sends its health this often.
    public static let idleInterval: Duration = .seconds(15)
    /// A side that has received nothing for this long sends ``ErrorCode/timeout`` and closes.
    public static let timeout: Duration = .seconds(45)

    /// The sender's clock when it sent the heartbeat (UTC).
    public var timestamp: Date
    /// The agent's health summary; `nil` from a collector, and from agents that predate it.
    public var health: AgentHealth?

    /// Creates a heartbeat.
    public init(timestamp: Date, health: AgentHealth? = nil) {
        self.timestamp = timestamp
        self.health = health
    }

    /// The summary is present exactly when bytes follow the timestamp, so a heartbeat without it
    /// is byte for byte the first version's.
    init(from reader: inout WireReader) throws(WireError) {
        timestamp = try reader.readTimestamp(field: "heartbeat.timestamp")
        health = reader.remaining > 0 ? try AgentHealth(from: &reader) : nil
    }

    func encode(to writer: inout WireWriter) throws(WireError) {
        try writer.writeTimestamp(timestamp, field: "heartbeat.timestamp")
        try health?.encode(to: &writer)
    }
}
