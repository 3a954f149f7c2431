import Foundation

/// A row of `alert_history` as operators see it: the alert, its device, branch and region,
/// and who acknowledged and resolved it.
public struct AlertView: Sendable, Equatable, Encodable {
    /// `alert_history.id`.
    public let id: UUID
    /// The rule that fired.
    public let ruleID: UUID
    /// The rule's name when it fired (its current name for rows that did not record one).
    public let ruleName: String
    /// The device, unless it was deleted since.
    public let deviceID: UUID?
    /// The device's name.
    public let deviceName: String?
    /// The device's branch, if any.
    public let branchName: String?
    /// That branch's region, if any: what per-region access is decided on.
    public let region: String?
    /// `critical`, `high`, `warning`, `medium`, `low` or `info`.
    public let severity: String
    /// What happened, for a human.
    public let message: String
    /// The value that made the rule fire, if recorded.
    public let value: String?
    /// When it fired (UTC).
    public let triggeredAt: Date
    /// When it was resolved, by the engine or by hand; `nil` while open.
    public let resolvedAt: Date?
    /// Whether someone acknowledged it.
    public let acknowledged: Bool
    /// Who (username), if a user did and still exists.
    public let acknowledgedBy: String?
    /// When.
    public let acknowledgedAt: Date?
    /// What they wrote.
    public let acknowledgementComment: String?
    /// Who resolved it by hand (username).
    public let resolvedBy: String?
    /// What they wrote.
    public let resolutionComment: String?
    /// Whether its device was in a maintenance window when it fired.
    public let inMaintenance: Bool
    /// `alert` (an episode) or `flapping` (a flapping period).
    public let kind: String
    /// The newest traceroute attached to it (its device went down, or its rule has a `trace`
    /// action): `GET /api/v1/diagnostics/jobs/{id}` shows the path.
    public let traceJobID: UUID?
}

/// One page of alerts, newest first.
public struct AlertPage: Sendable, Equatable, Encodable {
    /// The alerts.
    public let alerts: [AlertView]
    /// Pass as ``AlertFilter/cursor`` for the next page; `nil` on the last page.
    public let nextCursor: String?
}

/// What an operator's acknowledge or resolve did.
public enum AlertActionResult: Sendable, Equatable {
    /// Done now.
    case done
    /// Done before (already acknowledged, or already resolved); nothing changed.
    case alreadyDone
    /// No alert has this id.
    case notFound
}
