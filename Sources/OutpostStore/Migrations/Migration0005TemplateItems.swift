extension Migration {
    /// What applying monitoring templates needs beyond the legacy columns:
    ///
    /// - `monitoring_items.name`: the item's key inside its template (trigger expressions such as
    ///   `last(cpu_5min) > 90` refer to it); NULL for items not created from a template.
    /// - `monitoring_items.is_table`: the OID is a table column the agent walks, not a scalar.
    /// - One item per (device, template, name), so re-applying a template updates its items
    ///   instead of duplicating them. Legacy items (no template or no name) never collide:
    ///   NULLs are distinct in a unique index.
    /// - `monitoring_templates.match_vendors`: other spellings of the vendor (`HPE`, `Aruba`)
    ///   that `templates apply --match` treats as the template's vendor.
    static let templateItems = Migration(
        version: 5,
        name: "template_items",
        sql: EmbeddedResources.text("Migrations/0005-template-items.sql")
    )
}
