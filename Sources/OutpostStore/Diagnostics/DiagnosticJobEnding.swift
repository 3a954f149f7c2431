import Foundation

/// How a diagnostic job ended, as ``DiagnosticJobStore/end(_:agent:status:report:detail:on:)``
/// recorded it: what the alert engine's `path_changed` variable is made of.
public struct DiagnosticJobEnding: Sendable, Equatable {
    /// `diagnostic_jobs.id`.
    public var jobID: UUID
    /// The traced device.
    public var deviceID: UUID
    /// `completed`, `failed` or `cancelled`.
    public var status: DiagnosticJobRecord.Status
    /// When it ended (the database's clock, UTC).
    public var completedAt: Date
    /// For a completed job: whether its path differs from the device's previous completed job of
    /// the same protocol; `nil` for the first one (nothing to compare with) and for other endings.
    public var pathChanged: Bool?

    /// Creates an ending.
    public init(jobID: UUID, deviceID: UUID, status: DiagnosticJobRecord.Status, completedAt: Date, pathChanged: Bool?)
    {
        self.jobID = jobID
        self.deviceID = deviceID
        self.status = status
        self.completedAt = completedAt
        self.pathChanged = pathChanged
    }

    /// Whether the job traced a path (a completed traceroute or MTR): one `path_changed` sample.
    public var tracedPath: Bool { status == .completed }
}
