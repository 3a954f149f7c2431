import Foundation

/// Sent by either side when it has sent nothing for a while; its absence for long enough
/// means the peer or the path is gone.
public struct Heartbeat: Sendable, Equatable {
    /// A side sends a heartbeat when it has sent nothing for this long.
    public static let idleInterval: Duration = .seconds(15)
    /// A side that has received nothing for this long sends ``ErrorCode/timeout`` and closes.
    public static let timeout: Duration = .seconds(45)

    /// The sender's clock when it sent the heartbeat (UTC).
    public var timestamp: Date

    /// Creates a heartbeat.
    public init(timestamp: Date) {
        self.timestamp = timestamp
    }

    init(from reader: inout WireReader) throws(WireError) {
        timestamp = try reader.readTimestamp(field: "heartbeat.timestamp")
    }

    func encode(to writer: inout WireWriter) throws(WireError) {
        try writer.writeTimestamp(timestamp, field: "heartbeat.timestamp")
    }
}
