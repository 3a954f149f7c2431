import Foundation

/// A `discovery_jobs` row with its rule's name.
public struct DiscoveryJobRecord: Sendable, Equatable {
    /// Job states (`discovery_jobs.status`).
    public enum Status: String, Sendable, CaseIterable {
        case pending, dispatched, running, completed, failed, cancelled

        /// Whether the job has ended.
        public var isFinished: Bool { self == .completed || self == .failed || self == .cancelled }
    }

    public var id: UUID
    public var ruleID: UUID
    public var ruleName: String
    public var status: Status
    /// The agent the job was dispatched to, once dispatched.
    public var agentID: UUID?
    public var totalIPs: Int
    public var scannedIPs: Int
    public var discoveredDevices: Int
    public var importedDevices: Int
    public var failedIPs: Int
    /// When the job was created (the legacy column `started_at`).
    public var createdAt: Date
    public var dispatchedAt: Date?
    public var completedAt: Date?
    public var durationSeconds: Int?
    public var errorMessage: String?
    public var cancelRequested: Bool
    /// `schedule`, `manual` or `api`.
    public var triggeredBy: String?
}

/// A pending job this collector claimed for one of its connected agents, with what the agent needs.
public struct ClaimedDiscoveryJob: Sendable, Equatable {
    public var jobID: UUID
    public var rule: DiscoveryRuleRecord
    public var agentID: UUID
}
