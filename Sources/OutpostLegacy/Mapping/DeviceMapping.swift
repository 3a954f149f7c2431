import Foundation
import OutpostStore
import PostgresNIO

/// `standalone_devices` → `standalone_devices`: the same UUID, every field checked by the
/// inventory's own validation (`DeviceDraft.validate()`); duplicate addresses stay separate
/// devices; a device whose branch was not imported is refused (docs/legacy-import.md).
enum DeviceMapping {
    static let columns = [
        "id", "name", "ip", "hostname", "vendor", "device_type", "model", "location", "description", "enabled",
        "discovered_at", "last_seen", "tags", "custom_fields", "branch_id", "normalized_name", "device_subtype",
        "floor_info", "unit_number", "original_name", "ssh_port", "ssh_username", "ssh_enabled", "snmp_community",
        "snmp_version", "down_since", "created_at", "updated_at",
    ]
    static let spec = TableSpec(
        legacy: "standalone_devices", outpost: "standalone_devices", key: "id",
        columns: [
            ("name", .text), ("ip", .text), ("branch_id", .uuid), ("hostname", .text), ("vendor", .text),
            ("device_type", .text), ("device_subtype", .text), ("model", .text), ("location", .text),
            ("description", .text), ("enabled", .bool), ("tags", .json), ("custom_fields", .json),
            ("normalized_name", .text), ("original_name", .text), ("floor_info", .text), ("unit_number", .integer),
            ("ssh_port", .integer), ("ssh_username", .text), ("ssh_enabled", .bool), ("discovered_at", .timestamp),
            ("last_seen", .timestamp), ("down_since", .timestamp), ("created_at", .timestamp),
            ("updated_at", .timestamp),
        ])
    static let timeZones: [(String, LegacyTimeZone)] = [
        ("standalone_devices.created_at", .tbilisi), ("standalone_devices.updated_at", .tbilisi),
        ("standalone_devices.discovered_at", .tbilisi), ("standalone_devices.last_seen", .tbilisi),
        ("standalone_devices.down_since", .utc),
    ]

    /// Maps one row (a refused row throws with the reason).
    static func map(_ row: LegacyRow, context: LegacyImportContext, notes: inout [String]) throws -> MappedRow {
        guard let id = try row.uuid("id") else { throw LegacyValueError(column: "id", reason: "is NULL") }
        let label = "standalone_devices \(id.uuidString.lowercased())"
        guard let name = FieldCheck.trimmed(try row.required("name"), field: "\(label) name", notes: &notes) else {
            throw LegacyValueError(column: "name", reason: "is blank")
        }
        let ip = try row.required("ip").trimmingCharacters(in: .whitespaces)
        var branchID: UUID?
        var branchName: String?
        if let legacyBranch = row.text("branch_id") {
            guard let branch = LegacyIdentifier.uuid(legacyBranch), let known = context.branches[branch] else {
                throw LegacyValueError(
                    column: "branch_id", reason: "branch \(legacyBranch) does not exist (or was refused)")
            }
            branchID = branch
            branchName = known
        }
        func optional(_ column: String) -> String? {
            FieldCheck.trimmed(row.text(column), field: "\(label) \(column)", notes: &notes)
        }
        let tags = try row.stringArray("tags")
        let draft = DeviceDraft(
            name: name, ip: ip, branch: branchName, hostname: optional("hostname"), vendor: optional("vendor"),
            deviceType: optional("device_type"), deviceSubtype: optional("device_subtype"), model: optional("model"),
            location: optional("location"), description: row.text("description").flatMap { $0.isEmpty ? nil : $0 },
            enabled: try row.bool("enabled") ?? true, tags: tags, floorInfo: optional("floor_info"),
            unitNumber: try row.integer("unit_number"), sshPort: try row.integer("ssh_port") ?? 22,
            sshUsername: optional("ssh_username"), sshEnabled: try row.bool("ssh_enabled") ?? true)
        try draft.validate()
        let normalized = optional("normalized_name")
        let original = row.text("original_name").flatMap { $0.isEmpty ? nil : $0 }
        try FieldCheck.optional(normalized, field: "normalized_name", maximum: 200)
        try FieldCheck.optional(original, field: "original_name", maximum: 200)
        let customFields: String
        switch try row.json("custom_fields") {
        case nil: customFields = "{}"
        case let object as [String: Any]: customFields = CanonicalValue.jsonText(object)
        default: throw LegacyValueError(column: "custom_fields", reason: "is not a JSON object")
        }
        let tagsJSON = CanonicalValue.jsonText(tags)
        var lastSeen = try row.timestamp("last_seen", .tbilisi)
        if let seen = lastSeen, seen.timeIntervalSince1970 < 86_400 {
            lastSeen = nil  // Zabbix's "never", stored as 1970-01-01 local time
        }
        let discovered = try row.timestamp("discovered_at", .tbilisi)
        let downSince = try row.timestamp("down_since", .utc)
        let created = try row.timestamp("created_at", .tbilisi) ?? Date(timeIntervalSince1970: 0)
        let updated = try row.timestamp("updated_at", .tbilisi)
        func value(_ text: String?) -> String { (text.map(CanonicalValue.text) ?? .null).printed }
        func value(_ date: Date?) -> String { (date.map(CanonicalValue.timestamp) ?? .null).printed }
        let canonical = CanonicalRow([
            ("name", value(draft.name)), ("ip", value(draft.ip)),
            ("branch_id", (branchID.map(CanonicalValue.uuid) ?? .null).printed), ("hostname", value(draft.hostname)),
            ("vendor", value(draft.vendor)), ("device_type", value(draft.deviceType)),
            ("device_subtype", value(draft.deviceSubtype)), ("model", value(draft.model)),
            ("location", value(draft.location)), ("description", value(draft.description)),
            ("enabled", CanonicalValue.bool(draft.enabled).printed), ("tags", CanonicalValue.json(tagsJSON).printed),
            ("custom_fields", CanonicalValue.json(customFields).printed), ("normalized_name", value(normalized)),
            ("original_name", value(original)), ("floor_info", value(draft.floorInfo)),
            ("unit_number", (draft.unitNumber.map(CanonicalValue.integer) ?? .null).printed),
            ("ssh_port", CanonicalValue.integer(draft.sshPort).printed), ("ssh_username", value(draft.sshUsername)),
            ("ssh_enabled", CanonicalValue.bool(draft.sshEnabled).printed), ("discovered_at", value(discovered)),
            ("last_seen", value(lastSeen)), ("down_since", value(downSince)), ("created_at", value(created)),
            ("updated_at", value(updated)),
        ])
        let unit = draft.unitNumber.map(Int32.init)
        let port = Int32(draft.sshPort)
        let upsert: PostgresQuery = """
            INSERT INTO standalone_devices AS t (id, name, ip, branch_id, hostname, vendor, device_type, device_subtype,
                model, location, description, enabled, tags, custom_fields, normalized_name, original_name, floor_info,
                unit_number, ssh_port, ssh_username, ssh_enabled, discovered_at, last_seen, down_since, created_at,
                updated_at)
            VALUES (\(id), \(draft.name), \(draft.ip), \(branchID), \(draft.hostname), \(draft.vendor), \(draft.deviceType),
                \(draft.deviceSubtype), \(draft.model), \(draft.location), \(draft.description), \(draft.enabled),
                \(tagsJSON)::jsonb, \(customFields)::jsonb, \(normalized), \(original), \(draft.floorInfo), \(unit),
                \(port), \(draft.sshUsername), \(draft.sshEnabled), \(discovered), \(lastSeen), \(downSince),
                \(created), \(updated))
            ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, ip = EXCLUDED.ip, branch_id = EXCLUDED.branch_id,
                hostname = EXCLUDED.hostname, vendor = EXCLUDED.vendor, device_type = EXCLUDED.device_type,
                device_subtype = EXCLUDED.device_subtype, model = EXCLUDED.model, location = EXCLUDED.location,
                description = EXCLUDED.description, enabled = EXCLUDED.enabled, tags = EXCLUDED.tags,
                custom_fields = EXCLUDED.custom_fields, normalized_name = EXCLUDED.normalized_name,
                original_name = EXCLUDED.original_name, floor_info = EXCLUDED.floor_info,
                unit_number = EXCLUDED.unit_number, ssh_port = EXCLUDED.ssh_port, ssh_username = EXCLUDED.ssh_username,
                ssh_enabled = EXCLUDED.ssh_enabled, discovered_at = EXCLUDED.discovered_at,
                last_seen = EXCLUDED.last_seen, down_since = EXCLUDED.down_since, created_at = EXCLUDED.created_at,
                updated_at = EXCLUDED.updated_at
            WHERE (t.name, t.ip, t.branch_id, t.hostname, t.vendor, t.device_type, t.device_subtype, t.model,
                   t.location, t.description, t.enabled, t.tags, t.custom_fields, t.normalized_name, t.original_name,
                   t.floor_info, t.unit_number, t.ssh_port, t.ssh_username, t.ssh_enabled, t.discovered_at,
                   t.last_seen, t.down_since, t.created_at, t.updated_at)
                IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.ip, EXCLUDED.branch_id, EXCLUDED.hostname, EXCLUDED.vendor,
                   EXCLUDED.device_type, EXCLUDED.device_subtype, EXCLUDED.model, EXCLUDED.location,
                   EXCLUDED.description, EXCLUDED.enabled, EXCLUDED.tags, EXCLUDED.custom_fields,
                   EXCLUDED.normalized_name, EXCLUDED.original_name, EXCLUDED.floor_info, EXCLUDED.unit_number,
                   EXCLUDED.ssh_port, EXCLUDED.ssh_username, EXCLUDED.ssh_enabled, EXCLUDED.discovered_at,
                   EXCLUDED.last_seen, EXCLUDED.down_since, EXCLUDED.created_at, EXCLUDED.updated_at)
            RETURNING 1
            """
        return MappedRow(
            legacyID: id.uuidString.lowercased(), outpostID: id.uuidString.lowercased(), canonical: canonical,
            upsert: upsert)
    }
}
