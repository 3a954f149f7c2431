import Foundation

/// A row of `alert_rules` as operators see it, enabled or not.
public struct AlertRuleRecordView: Sendable, Equatable, Encodable {
    /// `alert_rules.id`.
    public let id: UUID
    /// The rule's name.
    public let name: String
    /// What the rule is for, if written down.
    public let description: String?
    /// The expression (docs/alert-rules.md).
    public let expression: String
    /// `critical`, `high`, `warning`, `medium`, `low` or `info`.
    public let severity: String
    /// Whether the alert engine evaluates it.
    public let enabled: Bool
    /// Only this device, if set.
    public let deviceID: UUID?
    /// That device's name.
    public let deviceName: String?
    /// Only devices of this branch (its name), if set.
    public let branchName: String?
    /// Only devices of this `device_type` (case-insensitive), if set.
    public let deviceGroup: String?
    /// Webhook URLs notified.
    public let webhooks: [String]
    /// E-mail addresses notified.
    public let emailRecipients: [String]
    /// Whether a firing alert traces the path to its device (the `trace` action).
    public let trace: Bool
    /// When the rule was created (UTC).
    public let createdAt: Date
    /// When it last changed, if ever.
    public let updatedAt: Date?
}
