import Foundation

/// How far a running job got, sent by the agent now and then.
public struct JobProgress: Sendable, Equatable {
    /// The job.
    public var jobID: UUID
    /// Units done (addresses scanned, hops probed…).
    public var completedUnits: UInt64
    /// Units in total, when known.
    public var totalUnits: UInt64?
    /// A short human-readable status (at most 4096 UTF-8 bytes).
    public var detail: String?

    /// Creates a progress report.
    public init(jobID: UUID, completedUnits: UInt64, totalUnits: UInt64? = nil, detail: String? = nil) {
        self.jobID = jobID
        self.completedUnits = completedUnits
        self.totalUnits = totalUnits
        self.detail = detail
    }

    init(from reader: inout WireReader) throws(WireError) {
        jobID = try reader.readUUID(field: "jobProgress.jobID")
        completedUnits = try reader.readVarUInt(field: "jobProgress.completedUnits")
        totalUnits =
            try reader.readPresence(field: "jobProgress.totalUnits")
            ? try reader.readVarUInt(field: "jobProgress.totalUnits")
            : nil
        detail =
            try reader.readPresence(field: "jobProgress.detail")
            ? try reader.readString(field: "jobProgress.detail", maximumLength: WireLimits.longText)
            : nil
    }

    func encode(to writer: inout WireWriter) throws(WireError) {
        writer.writeUUID(jobID)
        writer.writeVarUInt(completedUnits)
        writer.writePresence(totalUnits != nil)
        if let totalUnits { writer.writeVarUInt(totalUnits) }
        writer.writePresence(detail != nil)
        if let detail {
            try writer.writeString(detail, field: "jobProgress.detail", maximumLength: WireLimits.longText)
        }
    }
}
