import Foundation

// Read-only views of the fleet for operators (the collector's JSON API and `status` command).
// Identifiers are lower-case UUID text, as PostgreSQL prints them; times are UTC.

/// An enrolled agent as the collector last heard from it.
public struct AgentStatus: Sendable, Equatable, Encodable {
    /// The agent's identity (`agents.id`).
    public let id: String
    /// The name given at enrolment, if any.
    public let name: String?
    /// Its branch's name.
    public let branch: String
    /// `active` or `revoked`.
    public let status: String
    /// When a collector last received its Hello (or marked it seen).
    public let lastSeen: Date?
    /// The address its last session came from.
    public let lastAddress: String?
    /// The agent version it reported in its last Hello.
    public let version: String?
    /// Its current certificate's serial, lower-case hex.
    public let certificateSerial: String
    /// Its current certificate's expiry.
    public let certificateNotAfter: Date
    /// When it enrolled.
    public let enrolledAt: Date
    /// The configuration version it last acknowledged.
    public let configVersionAcknowledged: String?
    /// Batches waiting in its spool, as last reported.
    public let spoolBacklogBatches: Int64
    /// Results its spool dropped past its cap, summed over every Hello.
    public let droppedResultsTotal: Int64
    /// The latest health summary of its heartbeats; `nil` (absent in JSON) before the first.
    public let health: AgentHealthStatus?
}

/// How many of a branch's enabled devices are in each state.
public struct DeviceCounts: Sendable, Equatable, Encodable {
    public let total: Int
    public let up: Int
    public let down: Int
    public let unknown: Int
}

/// A branch with the state of its devices.
public struct BranchStatus: Sendable, Equatable, Encodable {
    /// `branches.id`.
    public let id: String
    /// The unique short name.
    public let name: String
    /// The name shown to people.
    public let displayName: String
    /// Its region, if recorded.
    public let region: String?
    /// Whether the branch is in service.
    public let isActive: Bool
    /// Active (not revoked) agents enrolled for it.
    public let agents: Int
    /// Its enabled devices by state.
    public let devices: DeviceCounts
}

/// The newest ping round stored for a device.
public struct LatestPing: Sendable, Equatable, Encodable {
    /// When the round ran.
    public let timestamp: Date
    /// Whether any probe of the round got a reply.
    public let reachable: Bool
    public let packetsSent: Int
    public let packetsReceived: Int
    /// Lost probes, 0–100 %.
    public let lossPercent: Double
    /// Average round-trip time in milliseconds; `nil` when nothing answered.
    public let rttMs: Double?
    public let rttMinMs: Double?
    public let rttMaxMs: Double?
}

/// A monitored device with its derived state and newest ping round.
public struct DeviceStatus: Sendable, Equatable, Encodable {
    /// `standalone_devices.id`.
    public let id: String
    public let name: String
    public let ip: String
    /// Its branch's name, `nil` for a device in no branch.
    public let branch: String?
    public let deviceType: String?
    /// Disabled devices are not probed.
    public let enabled: Bool
    public let state: DeviceState
    /// Newest round that got a reply.
    public let lastSeen: Date?
    /// First failed round after the last reply, while the device is down.
    public let downSince: Date?
    /// Newest round ingest derived the state from.
    public let lastProbeAt: Date?
    /// The newest stored round, `nil` when none was ingested since `lastProbeAt` was set.
    public let latestPing: LatestPing?
}

/// An alert not resolved yet (`alert_history.resolved_at IS NULL`).
public struct OpenAlert: Sendable, Equatable, Encodable {
    /// `alert_history.id`.
    public let id: String
    public let ruleID: String
    public let ruleName: String
    /// `critical`, `high`, `warning`, `medium`, `low` or `info`.
    public let severity: String
    public let message: String
    /// The value that triggered it, as text.
    public let value: String?
    public let threshold: String?
    public let deviceID: String?
    public let deviceName: String?
    /// The device's branch, or the rule's when the alert names no device.
    public let branch: String?
    public let triggeredAt: Date
    public let acknowledged: Bool
    public let acknowledgedAt: Date?
}
