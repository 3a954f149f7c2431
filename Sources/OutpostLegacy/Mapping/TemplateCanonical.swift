import Foundation
import OutpostStore

/// The carried fields of a template, as `monitoring_templates` stores them.
enum TemplateCanonical {
    static let spec = TableSpec(
        legacy: "monitoring_templates", outpost: "monitoring_templates", key: "name",
        columns: [
            ("name", .text), ("description", .text), ("vendor", .text), ("device_types", .json), ("items", .json),
            ("triggers", .json),
        ])

    static func row(_ template: MonitoringTemplate) throws -> CanonicalRow {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func json<T: Encodable>(_ value: T) throws -> String {
            CanonicalValue.json(String(decoding: try encoder.encode(value), as: UTF8.self)).printed
        }
        return CanonicalRow([
            ("name", template.name), ("description", (template.description.map(CanonicalValue.text) ?? .null).printed),
            ("vendor", (template.vendor.map(CanonicalValue.text) ?? .null).printed),
            ("device_types", try json(template.deviceTypes)), ("items", try json(template.items)),
            ("triggers", try json(template.triggers)),
        ])
    }
}
