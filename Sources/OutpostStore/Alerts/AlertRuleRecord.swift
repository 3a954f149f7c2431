import Foundation
import OutpostCore
import OutpostRules

/// One enabled row of `alert_rules`, as the alert engine needs it.
public struct AlertRuleRecord: Sendable, Equatable {
    /// `alert_rules.id`.
    public let id: UUID
    /// The rule's name, copied into `alert_history.rule_name`.
    public let name: String
    /// The rule expression as written (docs/alert-rules.md).
    public let expression: String
    /// `critical`, `high`, `warning`, `medium`, `low` or `info`.
    public let severity: String
    /// Which devices the rule applies to.
    public let scope: AlertRuleScope
    /// Webhook URLs from `notification_channels` entries of type `webhook`.
    public let webhooks: [String]
    /// E-mail addresses to notify: the `to` of `notification_channels` entries of type `email`
    /// and the rule's `notification_recipients`, when it has an `email` channel; empty otherwise.
    public let emailRecipients: [String]
    /// Whether the rule has a `trace` action (a `notification_channels` entry `{"type": "trace"}`):
    /// when its alert fires, the agent of the device's branch traces the path to it.
    public let traces: Bool

    /// Creates a record.
    public init(
        id: UUID, name: String, expression: String, severity: String, scope: AlertRuleScope, webhooks: [String],
        emailRecipients: [String] = [], traces: Bool = false
    ) {
        self.id = id
        self.name = name
        self.expression = expression
        self.severity = severity
        self.scope = scope
        self.webhooks = webhooks
        self.emailRecipients = emailRecipients
        self.traces = traces
    }
}

/// The devices a rule applies to: every condition present must hold (a global rule has none).
public struct AlertRuleScope: Sendable, Equatable {
    /// `alert_rules.device_id`: only this device.
    public var deviceID: UUID?
    /// `alert_rules.branch_id`: only devices of this branch.
    public var branchID: UUID?
    /// `alert_rules.device_group`: only devices whose `device_type` is this (case-insensitive).
    public var deviceGroup: String?

    /// A scope; all `nil` is global.
    public init(deviceID: UUID? = nil, branchID: UUID? = nil, deviceGroup: String? = nil) {
        self.deviceID = deviceID
        self.branchID = branchID
        self.deviceGroup = deviceGroup
    }

    /// Whether a device with these attributes is in scope.
    public func contains(_ device: AlertDeviceInfo) -> Bool {
        if let deviceID, deviceID != device.id { return false }
        if let branchID, branchID != device.branchID { return false }
        if let deviceGroup, deviceGroup.lowercased() != device.deviceType?.lowercased() { return false }
        return true
    }
}

/// What scope matching and alert messages need to know of a device.
public struct AlertDeviceInfo: Sendable, Equatable {
    /// `standalone_devices.id`.
    public let id: UUID
    /// The device's name, for messages.
    public let name: String
    /// Its branch, if any.
    public let branchID: UUID?
    /// Its `device_type`, matched against `alert_rules.device_group`.
    public let deviceType: String?
    /// The edge router of its branch (`branches.gateway_device_id`), which it depends on.
    public let gatewayID: UUID?
    /// Whether it has an interface classified as an ISP uplink (the rule variable `isp_link`).
    public let isISPLink: Bool

    /// Creates a device description.
    public init(
        id: UUID, name: String, branchID: UUID?, deviceType: String?, gatewayID: UUID? = nil, isISPLink: Bool = false
    ) {
        self.id = id
        self.name = name
        self.branchID = branchID
        self.deviceType = deviceType
        self.gatewayID = gatewayID
        self.isISPLink = isISPLink
    }

    /// What alert leases are taken on: the branch, or the device itself when it has none.
    public var leaseScope: UUID { branchID ?? id }
}

/// A rule whose expression parsed and type-checked, ready to evaluate.
public struct LoadedAlertRule: Sendable {
    /// The row.
    public let record: AlertRuleRecord
    /// The compiled expression.
    public let rule: AlertRule
}

/// A rule whose expression was refused, with where and why.
public struct RejectedAlertRule: Sendable, Equatable {
    /// The row.
    public let record: AlertRuleRecord
    /// The parse or type error, with its position.
    public let error: RuleParseError
}

/// An `alert_history` row not yet resolved: an alert episode in progress.
public struct OpenAlertEpisode: Sendable, Equatable {
    /// `alert_history.id`.
    public let historyID: UUID
    /// The rule that fired.
    public let ruleID: UUID
    /// The device it fired for.
    public let deviceID: UUID
    /// `true` for a `flapping` row (a flapping period), `false` for an alert episode.
    public let isFlapping: Bool
    /// The edge router's alert that suppressed this one.
    public let suppressedBy: UUID?
    /// Whether a notification attempt is recorded on the row.
    public let notified: Bool
}
