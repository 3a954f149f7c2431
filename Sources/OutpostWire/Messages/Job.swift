import Foundation

/// Work the collector hands to an agent.
public struct Job: Sendable, Equatable {
    /// The job's identity (`discovery_jobs.id` for discoveries).
    public var id: UUID
    /// What to run.
    public var kind: JobKind
    /// The kind's parameters, encoded by the job's owner module.
    public var parameters: [UInt8]

    /// Creates a job.
    public init(id: UUID, kind: JobKind, parameters: [UInt8]) {
        self.id = id
        self.kind = kind
        self.parameters = parameters
    }

    init(from reader: inout WireReader) throws(WireError) {
        id = try reader.readUUID(field: "job.id")
        kind = JobKind(rawValue: try reader.readVarUInt(UInt16.self, field: "job.kind"))
        parameters = try reader.readBytes(field: "job.parameters")
    }

    func encode(to writer: inout WireWriter) {
        writer.writeUUID(id)
        writer.writeVarUInt(UInt64(kind.rawValue))
        writer.writeBytes(parameters)
    }
}
