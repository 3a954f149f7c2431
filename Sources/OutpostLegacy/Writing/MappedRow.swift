import PostgresNIO

/// A legacy row ready to write: its legacy and Outpost ids, the fields carried over in
/// canonical form, and the upsert that writes it (returning one row when it inserted or
/// changed something, none when Outpost already had the row as it is).
struct MappedRow: Sendable {
    let legacyID: String
    let outpostID: String
    let canonical: CanonicalRow
    let upsert: PostgresQuery
}

/// Where one legacy table goes and how its carried fields are read back for verification.
struct TableSpec: Sendable {
    /// The legacy table, as the mapping table and the report name it.
    let legacy: String
    /// Outpost's table.
    let outpost: String
    /// Outpost's key column, compared with `legacy_import_map.outpost_id` as text.
    let key: String
    /// The carried columns: the canonical row's field names are these names.
    let columns: [(name: String, kind: CanonicalValue.Kind)]
}
