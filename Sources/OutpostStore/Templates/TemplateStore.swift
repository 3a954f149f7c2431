import Foundation
import Logging
import PostgresNIO

/// `monitoring_templates` and the `monitoring_items` they materialise.
public struct TemplateStore: Sendable {
    /// What an import did, by template name.
    public struct ImportResult: Sendable, Equatable {
        public var created: [String] = []
        public var updated: [String] = []
        public var unchanged: [String] = []
    }

    /// One row of `templates list`.
    public struct Summary: Sendable, Equatable {
        public let name: String
        public let vendor: String?
        public let itemCount: Int
        public let triggerCount: Int
        public let isBuiltin: Bool
        /// Devices with at least one item from this template.
        public let deviceCount: Int
    }

    /// Which devices `apply` materialises items for.
    public enum Target: Sendable {
        /// Devices named by id or name.
        case devices([String])
        /// Devices whose vendor and device type match the template's.
        case matching
    }

    /// What an apply did, counted in items (device × template item).
    public struct ApplyResult: Sendable, Equatable {
        public var devices = 0
        public var created = 0
        public var updated = 0
        public var unchanged = 0
        /// Items of this template on these devices that the template no longer has.
        public var removed = 0

        public init(devices: Int = 0, created: Int = 0, updated: Int = 0, unchanged: Int = 0, removed: Int = 0) {
            self.devices = devices
            self.created = created
            self.updated = updated
            self.unchanged = unchanged
            self.removed = removed
        }
    }

    private let logger: Logger

    /// Creates a store logging to `logger`.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// Reads and validates the templates of a JSON file (one template or an array).
    public static func templates(inFile path: String) throws -> [MonitoringTemplate] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TemplateError.unreadable(source: path, reason: "cannot read the file")
        }
        return try TemplateDocument.decode(data, source: path)
    }

    /// Reads and validates the templates of a JSON document (one template or an array).
    public static func templates(inJSON data: Data, source: String) throws -> [MonitoringTemplate] {
        try TemplateDocument.decode(data, source: source)
    }

    /// Inserts each template, or updates the one with the same name (idempotent: importing the
    /// same templates again changes nothing), each created or changed one audited. All or nothing.
    public func importTemplates(
        _ templates: [MonitoringTemplate], builtin: Bool, by actor: AuditActor, on connection: PostgresConnection
    ) async throws -> ImportResult {
        for template in templates { try template.validate() }
        return try await connection.transaction(logger: logger) { connection in
            var result = ImportResult()
            for template in templates {
                // The stored version, for the audit; an unreadable one is replaced, not refused.
                let before: (template: MonitoringTemplate, builtin: Bool)?
                do {
                    before = try await self.document(named: template.name, on: connection)
                } catch is TemplateError {
                    before = nil
                }
                let rows = try await connection.query(
                    """
                    INSERT INTO monitoring_templates (name, description, vendor, match_vendors, device_types, items, triggers, is_builtin)
                    VALUES (\(template.name), \(template.description), \(template.vendor), \(try TemplateDocument.json(template.matchVendors))::jsonb,
                            \(try TemplateDocument.json(template.deviceTypes))::jsonb, \(try TemplateDocument.json(template.items))::jsonb,
                            \(try TemplateDocument.json(template.triggers))::jsonb, \(builtin))
                    ON CONFLICT (name) DO UPDATE SET
                        description = EXCLUDED.description, vendor = EXCLUDED.vendor, match_vendors = EXCLUDED.match_vendors,
                        device_types = EXCLUDED.device_types, items = EXCLUDED.items, triggers = EXCLUDED.triggers,
                        is_builtin = EXCLUDED.is_builtin, updated_at = now()
                    WHERE (monitoring_templates.description, monitoring_templates.vendor, monitoring_templates.match_vendors,
                           monitoring_templates.device_types, monitoring_templates.items, monitoring_templates.triggers,
                           monitoring_templates.is_builtin)
                          IS DISTINCT FROM (EXCLUDED.description, EXCLUDED.vendor, EXCLUDED.match_vendors, EXCLUDED.device_types,
                                            EXCLUDED.items, EXCLUDED.triggers, EXCLUDED.is_builtin)
                    RETURNING xmax = 0
                    """, logger: logger)
                var inserted: Bool?
                for try await value in rows.decode(Bool.self) { inserted = value }
                switch inserted {
                case true?: result.created.append(template.name)
                case false?:
                    result.updated.append(template.name)
                    try await self.refreshTriggerRules(of: template, on: connection)
                case nil: result.unchanged.append(template.name)
                }
                if inserted != nil {
                    try await AuditLog(logger: logger).append(
                        .diff(
                            action: inserted == true ? "create" : "update", entity: Self.auditEntity,
                            entityID: template.name,
                            before: try before.map { try Self.auditFields($0.template, builtin: $0.builtin) } ?? [:],
                            after: try Self.auditFields(template, builtin: builtin)),
                        by: actor, on: connection)
                }
            }
            return result
        }
    }

    /// Every template, by name.
    public func list(on connection: PostgresConnection) async throws -> [Summary] {
        let rows = try await connection.query(
            """
            SELECT t.name, t.vendor,
                   coalesce(jsonb_array_length(CASE WHEN jsonb_typeof(t.items) = 'array' THEN t.items END), 0)::bigint,
                   coalesce(jsonb_array_length(CASE WHEN jsonb_typeof(t.triggers) = 'array' THEN t.triggers END), 0)::bigint,
                   t.is_builtin,
                   (SELECT count(DISTINCT i.device_id) FROM monitoring_items i WHERE i.template_id = t.id)
            FROM monitoring_templates t ORDER BY t.name
            """, logger: logger)
        var summaries: [Summary] = []
        for try await (name, vendor, items, triggers, builtin, devices) in rows.decode(
            (String, String?, Int, Int, Bool, Int).self)
        {
            summaries.append(
                Summary(
                    name: name, vendor: vendor, itemCount: items, triggerCount: triggers, isBuiltin: builtin,
                    deviceCount: devices))
        }
        return summaries
    }

    /// Materialises the template's items on the target devices, in one transaction: missing
    /// items are created, items whose OID, interval, type or units changed in the template are
    /// updated (their `enabled` flag is left alone), and items the template no longer has are
    /// removed from those devices. Applying twice changes nothing the second time.
    /// The application is audited when it changed items.
    public func apply(
        _ templateName: String, to target: Target, by actor: AuditActor, on connection: PostgresConnection
    ) async throws -> ApplyResult {
        try await connection.transaction(logger: logger) { connection in
            let stored = try await self.template(named: templateName, on: connection)
            let devices: [UUID]
            switch target {
            case .devices(let specifications): devices = try await self.resolve(specifications, on: connection)
            case .matching: devices = try await self.matchingDevices(stored, on: connection)
            }
            let result = try await self.materialise(stored, on: devices, connection: connection)
            if result.created + result.updated + result.removed > 0 {
                let counts: [String: Int] = [
                    "devices": result.devices, "items_created": result.created, "items_updated": result.updated,
                    "items_removed": result.removed,
                ]
                try await AuditLog(logger: logger).append(
                    .diff(
                        action: "apply", entity: Self.auditEntity, entityID: templateName, before: [:],
                        after: counts.mapValues { .integer(Int64($0)) }),
                    by: actor, on: connection)
            }
            return result
        }
    }

    /// The template `name` as its JSON document (the import format) and whether it is built in,
    /// or `nil` when there is none.
    public func document(named name: String, on connection: PostgresConnection) async throws
        -> (template: MonitoringTemplate, builtin: Bool)?
    {
        let rows = try await connection.query(
            """
            SELECT description, vendor, coalesce(match_vendors, '[]')::text, coalesce(device_types, '[]')::text,
                   coalesce(items, '[]')::text, coalesce(triggers, '[]')::text, is_builtin
            FROM monitoring_templates WHERE name = \(name)
            """, logger: logger)
        for try await (description, vendor, matchVendors, deviceTypes, items, triggers, builtin) in rows.decode(
            (String?, String?, String, String, String, String, Bool).self)
        {
            do {
                let decoder = JSONDecoder()
                let template = MonitoringTemplate(
                    name: name, description: description, vendor: vendor,
                    matchVendors: try decoder.decode([String].self, from: Data(matchVendors.utf8)),
                    deviceTypes: try decoder.decode([String].self, from: Data(deviceTypes.utf8)),
                    items: try decoder.decode([MonitoringTemplate.Item].self, from: Data(items.utf8)),
                    triggers: try decoder.decode([MonitoringTemplate.Trigger].self, from: Data(triggers.utf8)))
                return (template, builtin)
            } catch {
                throw TemplateError.invalid(template: name, reason: "the stored template is unreadable: \(error)")
            }
        }
        return nil
    }

    /// Deletes the template `name`, audited; refuses a built-in one. Items it already put on
    /// devices stay there, detached from it.
    public func delete(_ name: String, by actor: AuditActor, on connection: PostgresConnection) async throws {
        try await connection.transaction(logger: logger) { connection in
            guard let stored = try await self.document(named: name, on: connection) else {
                throw TemplateError.unknownTemplate(name)
            }
            guard !stored.builtin else { throw TemplateError.builtin(name) }
            try await connection.query("DELETE FROM monitoring_templates WHERE name = \(name)", logger: logger)
            try await AuditLog(logger: logger).append(
                .diff(
                    action: "delete", entity: Self.auditEntity, entityID: name,
                    before: try Self.auditFields(stored.template, builtin: false), after: [:]),
                by: actor, on: connection)
        }
    }

    /// The audit log's entity name for templates (the entity id is the template's name).
    public static let auditEntity = "template"

    /// The fields of a template an audit entry records (items and triggers as their JSON).
    private static func auditFields(_ template: MonitoringTemplate, builtin: Bool) throws -> [String: AuditValue] {
        [
            "description": .optional(template.description), "vendor": .optional(template.vendor),
            "match_vendors": .texts(template.matchVendors), "device_types": .texts(template.deviceTypes),
            "items": .text(try TemplateDocument.json(template.items)),
            "triggers": .text(try TemplateDocument.json(template.triggers)), "builtin": .bool(builtin),
        ]
    }

    /// Applies, inside the caller's transaction, every template that `--match` would select
    /// this device by (its vendor among the template's vendor and `match_vendors`, its type
    /// among the template's `device_types` or any type when it lists none); returns the
    /// names of the templates applied.
    public func applyMatchingTemplates(
        toDevice device: UUID, vendor: String?, deviceType: String?, on connection: PostgresConnection
    )
        async throws -> [String]
    {
        let rows = try await connection.query(
            """
            SELECT name FROM monitoring_templates t
            WHERE (lower(btrim(t.vendor)) = lower(btrim(\(vendor)))
                   OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(coalesce(t.match_vendors, '[]')) v
                              WHERE lower(btrim(v)) = lower(btrim(\(vendor)))))
              AND (coalesce(jsonb_array_length(t.device_types), 0) = 0
                   OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(t.device_types) d
                              WHERE lower(btrim(d)) = lower(btrim(\(deviceType)))))
            ORDER BY name
            """, logger: logger)
        var names: [String] = []
        for try await name in rows.decode(String.self) { names.append(name) }
        for name in names {
            _ = try await materialise(
                try await template(named: name, on: connection), on: [device], connection: connection)
        }
        return names
    }

    /// Creates, updates and removes the items of `stored` on `devices`, and the alert rules of its
    /// triggers (``TemplateTriggerRules``; see ``apply(_:to:on:)``).
    private func materialise(_ stored: StoredTemplate, on devices: [UUID], connection: PostgresConnection) async throws
        -> ApplyResult
    {
        var result = ApplyResult(devices: devices.count)
        guard !devices.isEmpty else { return result }
        let items = stored.template.items
        let rows = try await connection.query(
            """
            INSERT INTO monitoring_items (device_id, template_id, name, oid_name, oid, interval, value_type, units, is_table)
            SELECT d.id, \(stored.id), i.name, i.oid_name, i.oid, i.interval, i.value_type, nullif(i.units, ''), i.is_table
            FROM unnest(\(devices)::uuid[]) AS d(id)
            CROSS JOIN unnest(\(items.map(\.name))::text[], \(items.map(\.oidName))::text[], \(items.map { Self.canonical(oid: $0.oid) })::text[],
                              \(items.map(\.interval))::integer[], \(items.map(\.valueType))::text[], \(items.map { $0.units ?? "" })::text[],
                              \(items.map(\.isTable))::boolean[])
                 AS i(name, oid_name, oid, interval, value_type, units, is_table)
            ON CONFLICT (device_id, template_id, name) DO UPDATE SET
                oid_name = EXCLUDED.oid_name, oid = EXCLUDED.oid, interval = EXCLUDED.interval,
                value_type = EXCLUDED.value_type, units = EXCLUDED.units, is_table = EXCLUDED.is_table, updated_at = now()
            WHERE (monitoring_items.oid_name, monitoring_items.oid, monitoring_items.interval, monitoring_items.value_type,
                   monitoring_items.units, monitoring_items.is_table)
                  IS DISTINCT FROM (EXCLUDED.oid_name, EXCLUDED.oid, EXCLUDED.interval, EXCLUDED.value_type, EXCLUDED.units, EXCLUDED.is_table)
            RETURNING xmax = 0
            """, logger: logger)
        for try await inserted in rows.decode(Bool.self) {
            if inserted { result.created += 1 } else { result.updated += 1 }
        }
        result.unchanged = devices.count * items.count - result.created - result.updated
        let removed = try await connection.query(
            """
            DELETE FROM monitoring_items
            WHERE template_id = \(stored.id) AND device_id = ANY(\(devices)::uuid[])
              AND (name IS NULL OR NOT (name = ANY(\(items.map(\.name))::text[])))
            RETURNING id
            """, logger: logger)
        for try await _ in removed.decode(UUID.self) { result.removed += 1 }
        try await TemplateTriggerRules(logger: logger).materialise(
            stored.template.triggers, template: stored.id, templateName: stored.template.name, on: devices,
            connection: connection)
        return result
    }

    /// Brings the alert rules of `template`'s triggers up to date on the devices it is applied to.
    private func refreshTriggerRules(of template: MonitoringTemplate, on connection: PostgresConnection) async throws {
        let rows = try await connection.query(
            "SELECT id FROM monitoring_templates WHERE name = \(template.name)", logger: logger)
        for try await id in rows.decode(UUID.self) {
            try await TemplateTriggerRules(logger: logger).refresh(
                template.triggers, template: id, templateName: template.name, connection: connection)
        }
    }

    /// The OID without a leading dot, as `monitoring_items.oid` stores it.
    static func canonical(oid: String) -> String {
        oid.hasPrefix(".") ? String(oid.dropFirst()) : oid
    }

    private struct StoredTemplate {
        let id: UUID
        let template: MonitoringTemplate
    }

    /// The stored template `name`, its items validated (a hand-edited row is refused, not applied).
    private func template(named name: String, on connection: PostgresConnection) async throws -> StoredTemplate {
        let rows = try await connection.query(
            """
            SELECT id, vendor, coalesce(match_vendors, '[]')::text, coalesce(device_types, '[]')::text, coalesce(items, '[]')::text,
                   coalesce(triggers, '[]')::text
            FROM monitoring_templates WHERE name = \(name) FOR SHARE
            """, logger: logger)
        for try await (id, vendor, matchVendors, deviceTypes, items, triggers) in rows.decode(
            (UUID, String?, String, String, String, String).self)
        {
            let template: MonitoringTemplate
            do {
                template = MonitoringTemplate(
                    name: name, vendor: vendor,
                    matchVendors: try JSONDecoder().decode([String].self, from: Data(matchVendors.utf8)),
                    deviceTypes: try JSONDecoder().decode([String].self, from: Data(deviceTypes.utf8)),
                    items: try JSONDecoder().decode([MonitoringTemplate.Item].self, from: Data(items.utf8)),
                    triggers: try JSONDecoder().decode([MonitoringTemplate.Trigger].self, from: Data(triggers.utf8)))
            } catch {
                throw TemplateError.invalid(
                    template: name, reason: "stored items, triggers or match lists are unreadable: \(error)")
            }
            try template.validate()
            return StoredTemplate(id: id, template: template)
        }
        throw TemplateError.unknownTemplate(name)
    }

    /// Device ids for ids or names; an unknown or ambiguous name is refused.
    private func resolve(_ specifications: [String], on connection: PostgresConnection) async throws -> [UUID] {
        var devices: [UUID] = []
        for specification in specifications {
            let device = try await DeviceLookup(logger: logger).device(specification, on: connection)
            if !devices.contains(device) { devices.append(device) }
        }
        return devices
    }

    /// Devices whose vendor is the template's vendor or one of its `match_vendors`, and whose
    /// type is one of its `device_types` (any type when it lists none); case-insensitive.
    private func matchingDevices(_ stored: StoredTemplate, on connection: PostgresConnection) async throws -> [UUID] {
        let normalise = { (text: String) in text.trimmingCharacters(in: .whitespaces).lowercased() }
        let vendors = ([stored.template.vendor].compactMap { $0 } + stored.template.matchVendors).map(normalise)
        let types = stored.template.deviceTypes.map(normalise)
        guard !vendors.isEmpty || !types.isEmpty else {
            throw TemplateError.nothingToMatch(template: stored.template.name)
        }
        let rows = try await connection.query(
            """
            SELECT id FROM standalone_devices
            WHERE (cardinality(\(vendors)::text[]) = 0 OR lower(btrim(vendor)) = ANY(\(vendors)::text[]))
              AND (cardinality(\(types)::text[]) = 0 OR lower(btrim(device_type)) = ANY(\(types)::text[]))
            ORDER BY id
            """, logger: logger)
        var devices: [UUID] = []
        for try await id in rows.decode(UUID.self) { devices.append(id) }
        return devices
    }
}
