/// One alert's line in a page's alert table (device and branch pages).
public struct AlertRow: Sendable {
    public let id: String
    public let severity: String
    public let rule: String
    public let message: String
    public let triggered: String
    /// When it was resolved, in the operator's zone; `nil` while open.
    public let resolved: String?
    public let acknowledged: Bool
    /// `by alice: comment`, when acknowledged.
    public let acknowledgement: String?
    public let inMaintenance: Bool

    public init(
        id: String, severity: String, rule: String, message: String, triggered: String, resolved: String?,
        acknowledged: Bool, acknowledgement: String?, inMaintenance: Bool
    ) {
        self.id = id
        self.severity = severity
        self.rule = rule
        self.message = message
        self.triggered = triggered
        self.resolved = resolved
        self.acknowledged = acknowledged
        self.acknowledgement = acknowledgement
        self.inMaintenance = inMaintenance
    }
}
