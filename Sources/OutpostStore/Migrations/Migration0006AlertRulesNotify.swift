extension Migration {
    /// Every change to `alert_rules` notifies `AlertRuleStore.changeChannel`, so the collector's
    /// alert engine reloads its rules at once instead of at its next periodic reload.
    static let alertRulesNotify = Migration(
        version: 6,
        name: "alert_rules_notify",
        sql: EmbeddedResources.text("Migrations/0006-alert-rules-notify.sql")
    )
}
