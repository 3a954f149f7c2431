import Foundation

/// One `diagnostic_jobs` row: a traceroute or MTR of a device, run by its branch's agent.
public struct DiagnosticJobRecord: Sendable, Equatable {
    /// What the job runs.
    public enum Kind: String, Sendable, CaseIterable {
        case traceroute
        case mtr
    }

    /// Where the job is in its life.
    public enum Status: String, Sendable {
        case pending, dispatched, running, completed, failed, cancelled

        /// Whether the job ended.
        public var isFinished: Bool { self == .completed || self == .failed || self == .cancelled }
    }

    /// Why the job was created.
    public enum Trigger: String, Sendable {
        /// `outpost-collector diag`.
        case manual
        /// `POST /api/v1/diagnostics/...`.
        case api
        /// A `diagnostic_schedules` entry.
        case schedule
        /// The device went down.
        case down
        /// An alert with a `trace` action fired.
        case alert
    }

    public var id: UUID
    public var deviceID: UUID
    public var deviceName: String
    public var kind: Kind
    public var probeProtocol: String
    public var port: Int
    public var cycles: Int
    public var trigger: Trigger
    public var status: Status
    public var agentID: UUID?
    public var alertHistoryID: UUID?
    public var cancelRequested: Bool
    public var completedUnits: Int
    public var totalUnits: Int?
    public var targetIP: String
    /// Whether the agent was asked to resolve the hop addresses to names.
    public var resolveNames: Bool
    public var ending: String?
    public var hopCount: Int?
    /// Responders of the hops (`nil`: silent hop), once completed.
    public var path: [String?]?
    public var pathChanged: Bool?
    public var detail: String?
    public var createdAt: Date
    public var dispatchedAt: Date?
    public var completedAt: Date?
}

/// One hop row of a job, from `traceroute_results` or `mtr_results`.
public struct DiagnosticHopRecord: Sendable, Equatable {
    public var number: Int
    public var address: String?
    public var hostname: String?
    public var sent: Int
    public var received: Int
    public var lossPercent: Double
    public var lastMilliseconds: Double?
    public var averageMilliseconds: Double?
    public var bestMilliseconds: Double?
    public var worstMilliseconds: Double?
    public var standardDeviationMilliseconds: Double?
    public var jitterMilliseconds: Double?
    /// Every probe's RTT (traceroute).
    public var rttsMilliseconds: [Double]
    public var reply: String?
    public var mplsLabels: [Int]
}

/// A diagnostic request that cannot be served.
public enum DiagnosticStoreError: Error, Equatable, CustomStringConvertible {
    /// No device with this id, name or address (or several match the name or address).
    case unknownDevice(String)
    case unknownJob(String)
    /// A cancellation of a job that already ended.
    case jobFinished(String)
    /// A parameter out of range.
    case invalid(field: String, reason: String)

    public var description: String {
        switch self {
        case .unknownDevice(let text): "no single device is named or addressed \(text.prefix(200).debugDescription)"
        case .unknownJob(let id): "no diagnostic job \(id.prefix(64))"
        case .jobFinished(let id): "diagnostic job \(id.prefix(64)) already ended"
        case .invalid(let field, let reason): "\(field): \(reason)"
        }
    }
}
