extension Migration {
    /// An index on `alert_history (triggered_at DESC, id DESC)`, the order in which the alert desk
    /// pages the history, so that a page reads its rows instead of sorting the table.
    static let alertHistoryPaging = Migration(
        version: 15,
        name: "alert_history_paging",
        sql: EmbeddedResources.text("Migrations/0015-alert-history-paging.sql")
    )
}
