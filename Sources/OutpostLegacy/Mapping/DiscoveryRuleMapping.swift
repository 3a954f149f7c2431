import Foundation
import OutpostCore
import OutpostRules
import PostgresNIO

/// `discovery_rules` → `discovery_rules`, imported **disabled**: an Outpost rule needs a branch
/// or an agent to sweep it and candidate credentials, which the legacy rules do not have. The
/// legacy's plaintext communities are not carried (docs/legacy-import.md).
enum DiscoveryRuleMapping {
    static let columns = [
        "id", "name", "description", "network_range", "enabled", "schedule", "snmp_discovery", "snmp_communities",
        "ping_only", "last_run", "last_devices_found", "created_at", "updated_at",
    ]
    static let spec = TableSpec(
        legacy: "discovery_rules", outpost: "discovery_rules", key: "id",
        columns: [
            ("name", .text), ("description", .text), ("network_range", .text), ("schedule", .text),
            ("enabled", .bool), ("ping_only", .bool), ("last_run", .timestamp), ("created_at", .timestamp),
        ])
    static let timeZones: [(String, LegacyTimeZone)] = [
        ("discovery_rules.last_run", .utc), ("discovery_rules.created_at", .utc),
    ]

    static func map(_ row: LegacyRow, taken: Set<String>, notes: inout [String]) throws -> MappedRow {
        guard let id = try row.uuid("id") else { throw LegacyValueError(column: "id", reason: "is NULL") }
        let label = "discovery_rules \(id.uuidString.lowercased())"
        guard let name = FieldCheck.trimmed(try row.required("name"), field: "\(label) name", notes: &notes) else {
            throw LegacyValueError(column: "name", reason: "is blank")
        }
        try FieldCheck.text(name, field: "name", maximum: 200)
        guard !taken.contains(name) else {
            throw LegacyValueError(column: "name", reason: "a discovery rule named \(name) exists in Outpost")
        }
        let range = try row.required("network_range").trimmingCharacters(in: .whitespaces)
        guard isPrefix(range) else {
            throw LegacyValueError(
                column: "network_range", reason: "\(range.debugDescription) is not an address or prefix")
        }
        let schedule = row.text("schedule").flatMap { $0.isEmpty ? nil : $0 }
        if let schedule {
            do {
                _ = try CronSchedule(schedule)
            } catch {
                throw LegacyValueError(column: "schedule", reason: error.description)
            }
        }
        let description = row.text("description").flatMap { $0.isEmpty ? nil : $0 }
        try FieldCheck.optional(description, field: "description", maximum: 2000, multiline: true)
        let communities = try row.stringArray("snmp_communities")
        if !communities.isEmpty {
            notes.append(
                "\(label): \(communities.count) plaintext SNMP communities not carried; add discovery credentials")
        }
        if try row.bool("enabled") ?? true {
            notes.append(
                "\(label) (\(name)): imported disabled; give it a branch or agent (and credentials) to enable it")
        }
        let pingOnly = try row.bool("ping_only") ?? false
        let lastRun = try row.timestamp("last_run", .utc)
        let created = try row.timestamp("created_at", .utc) ?? Date(timeIntervalSince1970: 0)
        let found = max(0, try row.integer("last_devices_found") ?? 0)
        func text(_ value: String?) -> String { (value.map(CanonicalValue.text) ?? .null).printed }
        let canonical = CanonicalRow([
            ("name", text(name)), ("description", text(description)), ("network_range", text(range)),
            ("schedule", text(schedule)), ("enabled", CanonicalValue.bool(false).printed),
            ("ping_only", CanonicalValue.bool(pingOnly).printed),
            ("last_run", (lastRun.map(CanonicalValue.timestamp) ?? .null).printed),
            ("created_at", CanonicalValue.timestamp(created).printed),
        ])
        let count = Int32(min(found, Int(Int32.max)))
        let upsert: PostgresQuery = """
            INSERT INTO discovery_rules AS t (id, name, description, network_range, network_ranges, enabled, schedule,
                snmp_discovery, ping_only, last_run, last_devices_found, created_at)
            VALUES (\(id), \(name), \(description), \(range), ARRAY[\(range)]::text[], FALSE, \(schedule), FALSE,
                \(pingOnly), \(lastRun), \(count), \(created))
            ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description,
                network_range = EXCLUDED.network_range, network_ranges = EXCLUDED.network_ranges,
                schedule = EXCLUDED.schedule, ping_only = EXCLUDED.ping_only, last_run = EXCLUDED.last_run,
                last_devices_found = EXCLUDED.last_devices_found, created_at = EXCLUDED.created_at
            WHERE (t.name, t.description, t.network_range, t.schedule, t.ping_only, t.last_run, t.last_devices_found,
                   t.created_at)
                IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.description, EXCLUDED.network_range, EXCLUDED.schedule,
                   EXCLUDED.ping_only, EXCLUDED.last_run, EXCLUDED.last_devices_found, EXCLUDED.created_at)
            RETURNING 1
            """
        return MappedRow(
            legacyID: id.uuidString.lowercased(), outpostID: id.uuidString.lowercased(), canonical: canonical,
            upsert: upsert)
    }

    /// An IPv4 or IPv6 address, optionally with a prefix length that fits it.
    static func isPrefix(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, IPAddressText.isValid(String(parts[0])) else { return false }
        guard parts.count == 2 else { return true }
        let maximum = parts[0].contains(":") ? 128 : 32
        guard let length = Int(parts[1]), (0...maximum).contains(length) else { return false }
        return true
    }
}
