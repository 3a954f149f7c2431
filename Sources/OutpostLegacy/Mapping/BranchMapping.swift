import Foundation
import OutpostStore
import PostgresNIO

/// `branches` → `branches`: the same UUID, names trimmed, the Zabbix region name matched to a
/// `georgian_regions` name, the town found from the branch name (docs/legacy-import.md).
enum BranchMapping {
    static let columns = [
        "id", "name", "display_name", "region", "branch_code", "address", "is_active", "created_at", "updated_at",
    ]
    static let spec = TableSpec(
        legacy: "branches", outpost: "branches", key: "id",
        columns: [
            ("name", .text), ("display_name", .text), ("display_name_ka", .text), ("region", .text),
            ("city_id", .integer), ("branch_code", .text), ("address", .text), ("is_active", .bool),
            ("created_at", .timestamp), ("updated_at", .timestamp),
        ])
    static let timeZones: [(String, LegacyTimeZone)] = [
        ("branches.created_at", .tbilisi), ("branches.updated_at", .tbilisi),
    ]

    /// Maps one row; the row's notes (trimmed names, unknown regions) go to `notes`.
    static func map(_ row: LegacyRow, context: LegacyImportContext, notes: inout [String]) throws -> MappedRow {
        guard let id = try row.uuid("id") else { throw LegacyValueError(column: "id", reason: "is NULL") }
        let label = "branches \(id.uuidString.lowercased())"
        guard let name = FieldCheck.trimmed(try row.required("name"), field: "\(label) name", notes: &notes) else {
            throw LegacyValueError(column: "name", reason: "is blank")
        }
        try FieldCheck.text(name, field: "name", maximum: BranchRegistry.maximumNameLength)
        let display =
            FieldCheck.trimmed(row.text("display_name"), field: "\(label) display_name", notes: &notes) ?? name
        try FieldCheck.text(display, field: "display_name", maximum: 200)
        let legacyRegion = FieldCheck.trimmed(row.text("region"), field: "\(label) region", notes: &notes)
        var region = legacyRegion.flatMap { LegacyGeography.region($0, known: context.regions) }
        var city = LegacyGeography.city(forBranch: name, in: context.cities)
        if let found = city, let region, found.region != region {
            notes.append("\(label): town \(found.name) is in \(found.region), not \(region); no town set")
            city = nil
        }
        if let legacyRegion, region == nil {
            let outcome = city.map { "the town \($0.name)'s region \($0.region) taken" } ?? "left empty"
            notes.append("\(label): region \(legacyRegion.debugDescription) matches no Outpost region; \(outcome)")
        }
        if region == nil, let found = city { region = found.region }
        let nameKa = city.flatMap { city in city.name.lowercased() == name.lowercased() ? city.nameKa : nil }
        let code = FieldCheck.trimmed(row.text("branch_code"), field: "\(label) branch_code", notes: &notes)
        try FieldCheck.optional(code, field: "branch_code", maximum: 10)
        let address = FieldCheck.trimmed(row.text("address"), field: "\(label) address", notes: &notes)
        try FieldCheck.optional(address, field: "address", maximum: 500, multiline: true)
        let active = try row.bool("is_active") ?? true
        let created = try row.timestamp("created_at", .tbilisi) ?? Date(timeIntervalSince1970: 0)
        let updated = try row.timestamp("updated_at", .tbilisi)
        let cityID = city.map { Int32($0.id) }
        let canonical = CanonicalRow([
            ("name", CanonicalValue.text(name).printed),
            ("display_name", CanonicalValue.text(display).printed),
            ("display_name_ka", (nameKa.map(CanonicalValue.text) ?? .null).printed),
            ("region", (region.map(CanonicalValue.text) ?? .null).printed),
            ("city_id", (city.map { CanonicalValue.integer($0.id) } ?? .null).printed),
            ("branch_code", (code.map(CanonicalValue.text) ?? .null).printed),
            ("address", (address.map(CanonicalValue.text) ?? .null).printed),
            ("is_active", CanonicalValue.bool(active).printed),
            ("created_at", CanonicalValue.timestamp(created).printed),
            ("updated_at", (updated.map(CanonicalValue.timestamp) ?? .null).printed),
        ])
        let upsert: PostgresQuery = """
            INSERT INTO branches AS t (id, name, display_name, display_name_ka, region, city_id, branch_code, address,
                                       is_active, created_at, updated_at)
            VALUES (\(id), \(name), \(display), \(nameKa), \(region), \(cityID), \(code), \(address), \(active),
                    \(created), \(updated))
            ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, display_name = EXCLUDED.display_name,
                display_name_ka = EXCLUDED.display_name_ka, region = EXCLUDED.region, city_id = EXCLUDED.city_id,
                branch_code = EXCLUDED.branch_code, address = EXCLUDED.address, is_active = EXCLUDED.is_active,
                created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at
            WHERE (t.name, t.display_name, t.display_name_ka, t.region, t.city_id, t.branch_code, t.address,
                   t.is_active, t.created_at, t.updated_at)
                IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.display_name, EXCLUDED.display_name_ka, EXCLUDED.region,
                   EXCLUDED.city_id, EXCLUDED.branch_code, EXCLUDED.address, EXCLUDED.is_active, EXCLUDED.created_at,
                   EXCLUDED.updated_at)
            RETURNING 1
            """
        return MappedRow(
            legacyID: id.uuidString.lowercased(), outpostID: id.uuidString.lowercased(), canonical: canonical,
            upsert: upsert)
    }
}
