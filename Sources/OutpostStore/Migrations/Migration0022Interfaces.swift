extension Migration {
    /// Table items and interfaces (docs/interfaces.md):
    ///
    /// - `item_history.instance_key` (dotted-decimal OID suffix of the table row, e.g. the
    ///   ifIndex) and `instance_label` (the row's name, e.g. ifDescr); NULL for scalar items.
    /// - `device_interfaces` gains the inventory columns (IANA `if_type`, `last_change_ticks`),
    ///   first/last seen and `missing_since` (interfaces that disappear are marked, not deleted),
    ///   the oper-status change time, the ISP classification (`isp_override` set by an operator,
    ///   `isp_provider` matched), and the newest metrics (bits/s, utilisation, errors, discards).
    /// - `isp_link_patterns`: per-deployment alias/description patterns of ISP uplinks, seeded
    ///   with the legacy's providers (Magti, Silknet).
    /// - `alert_rules.template_id/template_trigger`: rules materialised from a template's triggers.
    static let interfaces = Migration(
        version: 22,
        name: "interfaces",
        sql: EmbeddedResources.text("Migrations/0022-interfaces.sql")
    )
}
