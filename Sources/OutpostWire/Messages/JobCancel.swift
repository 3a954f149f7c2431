import Foundation

/// Asks the agent to stop a job; the agent answers with a ``JobResult`` of outcome `cancelled`
/// (or the outcome it had already reached).
public struct JobCancel: Sendable, Equatable {
    /// The job.
    public var jobID: UUID
    /// Why, for the logs (at most 4096 UTF-8 bytes).
    public var reason: String?

    /// Creates a cancellation.
    public init(jobID: UUID, reason: String? = nil) {
        self.jobID = jobID
        self.reason = reason
    }

    init(from reader: inout WireReader) throws(WireError) {
        jobID = try reader.readUUID(field: "jobCancel.jobID")
        reason =
            try reader.readPresence(field: "jobCancel.reason")
            ? try reader.readString(field: "jobCancel.reason", maximumLength: WireLimits.longText)
            : nil
    }

    func encode(to writer: inout WireWriter) throws(WireError) {
        writer.writeUUID(jobID)
        writer.writePresence(reason != nil)
        if let reason { try writer.writeString(reason, field: "jobCancel.reason", maximumLength: WireLimits.longText) }
    }
}
