import Foundation

/// How a job ended, sent once by the agent.
public struct JobResult: Sendable, Equatable {
    /// How a job ended.
    public enum Outcome: UInt8, Sendable {
        case succeeded = 1
        case failed = 2
        case cancelled = 3
    }

    /// The job.
    public var jobID: UUID
    /// How it ended.
    public var outcome: Outcome
    /// The kind's result, encoded by the job's owner module (may be empty).
    public var payload: [UInt8]
    /// Why it failed or a short summary (at most 4096 UTF-8 bytes).
    public var detail: String?

    /// Creates a job result.
    public init(jobID: UUID, outcome: Outcome, payload: [UInt8] = [], detail: String? = nil) {
        self.jobID = jobID
        self.outcome = outcome
        self.payload = payload
        self.detail = detail
    }

    init(from reader: inout WireReader) throws(WireError) {
        jobID = try reader.readUUID(field: "jobResult.jobID")
        let rawOutcome = try reader.readByte(field: "jobResult.outcome")
        guard let outcome = Outcome(rawValue: rawOutcome) else {
            throw .invalidField(field: "jobResult.outcome", reason: "unknown outcome \(rawOutcome)")
        }
        self.outcome = outcome
        payload = try reader.readBytes(field: "jobResult.payload")
        detail =
            try reader.readPresence(field: "jobResult.detail")
            ? try reader.readString(field: "jobResult.detail", maximumLength: WireLimits.longText)
            : nil
    }

    func encode(to writer: inout WireWriter) throws(WireError) {
        writer.writeUUID(jobID)
        writer.writeByte(outcome.rawValue)
        writer.writeBytes(payload)
        writer.writePresence(detail != nil)
        if let detail { try writer.writeString(detail, field: "jobResult.detail", maximumLength: WireLimits.longText) }
    }
}
