import Foundation

/// What an operator gives to create an alert rule (see ``AlertRuleAdmin/create(_:by:on:)``).
public struct AlertRuleDraft: Sendable, Equatable {
    /// 1 to 200 characters.
    public var name: String
    /// At most ``AlertRuleAdmin/maximumDescriptionLength`` characters.
    public var description: String?
    /// The expression, at most 500 characters; it must parse (docs/alert-rules.md).
    public var expression: String
    /// One of ``AlertRuleAdmin/severities``.
    public var severity: String
    /// Whether the engine evaluates it.
    public var enabled: Bool
    /// Scope: only this existing device.
    public var deviceID: UUID?
    /// Scope: only devices of the existing branch of this name.
    public var branchName: String?
    /// Scope: only devices of this `device_type` (at most 100 characters).
    public var deviceGroup: String?
    /// http or https URLs to post alerts to.
    public var webhooks: [String]
    /// E-mail addresses to notify.
    public var emailRecipients: [String]
    /// Whether a firing alert traces the path to its device (the `trace` action).
    public var trace = false

    /// An enabled global rule without notifications; set the other properties as needed.
    public init(name: String, expression: String, severity: String) {
        self.name = name
        self.expression = expression
        self.severity = severity
        self.enabled = true
        self.webhooks = []
        self.emailRecipients = []
    }
}

/// A change to an alert rule (see ``AlertRuleAdmin/update(id:_:by:on:)``): a `nil` property is
/// left as it is; for the optional columns, `.some(nil)` clears the column.
public struct AlertRulePatch: Sendable, Equatable {
    /// A new name.
    public var name: String?
    /// A new description, or none.
    public var description: String??
    /// A new expression; it must parse.
    public var expression: String?
    /// A new severity.
    public var severity: String?
    /// Enables (the expression must then parse) or disables the rule.
    public var enabled: Bool?
    /// A new device scope, or none.
    public var deviceID: UUID??
    /// A new branch scope (by name), or none.
    public var branchName: String??
    /// A new device type scope, or none.
    public var deviceGroup: String??
    /// Replaces every webhook of the rule.
    public var webhooks: [String]?
    /// Replaces every e-mail recipient of the rule.
    public var emailRecipients: [String]?
    /// Adds or removes the `trace` action.
    public var trace: Bool?

    /// A patch that changes nothing; set the properties to change.
    public init() {}
}
