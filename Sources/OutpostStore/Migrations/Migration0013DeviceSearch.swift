extension Migration {
    /// Indexes for the device list's orders and keyset pagination: (lower(name), id), (ip, id)
    /// in place of (ip), and (coalesce(updated_at, created_at), id).
    static let deviceSearch = Migration(
        version: 13,
        name: "device_search",
        sql: EmbeddedResources.text("Migrations/0013-device-search.sql")
    )
}
