import Foundation
import OutpostStore

/// The legacy's template JSON (its `monitoring/templates/*.json` files and the
/// `monitoring_templates` table): item names are labels ("CPU 5sec Average"), triggers refer to
/// items by their `oid_name`, value types include `gauge`, severities include `error`. This
/// reader turns it into Outpost's template (``MonitoringTemplate``), which is then validated
/// as strictly as `templates import` validates its own format (docs/legacy-import.md).
public enum LegacyTemplateFormat {
    /// Legacy value types to Outpost's.
    static let valueTypes: [String: String] = [
        "gauge": "gauge32", "gauge32": "gauge32", "int": "integer", "integer": "integer", "float": "float",
        "double": "float", "string": "string", "text": "string", "counter": "counter32", "counter32": "counter32",
        "counter64": "counter64", "timeticks": "timeticks", "octetstring": "octetstring", "oid": "oid",
        "ipaddress": "ipaddress",
    ]
    /// Legacy (Zabbix-style) severities to Outpost's.
    static let severities: [String: String] = [
        "disaster": "critical", "critical": "critical", "error": "high", "high": "high", "average": "medium",
        "medium": "medium", "warning": "warning", "low": "low", "information": "info", "info": "info",
        "not_classified": "info",
    ]

    /// A refused legacy template.
    public struct Refused: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Reads one legacy template object or an array of them from `data`.
    public static func templates(inJSON data: Data, source: String) throws -> [MonitoringTemplate] {
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw Refused(description: "\(source): unparseable JSON")
        }
        let objects: [[String: Any]]
        if let array = value as? [[String: Any]] {
            objects = array
        } else if let object = value as? [String: Any] {
            objects = [object]
        } else {
            throw Refused(description: "\(source): neither a template object nor an array of them")
        }
        return try objects.map { try template($0, source: source) }
    }

    /// Converts one legacy template object and validates the result.
    public static func template(_ object: [String: Any], source: String) throws -> MonitoringTemplate {
        guard let name = (object["name"] as? String)?.trimmingCharacters(in: .whitespaces), !name.isEmpty else {
            throw Refused(description: "\(source): a template without a name")
        }
        func refuse(_ reason: String) -> Refused { Refused(description: "\(source): template \(name): \(reason)") }
        guard let legacyItems = object["items"] as? [[String: Any]] else { throw refuse("items is not an array") }
        var items: [MonitoringTemplate.Item] = []
        var renamed: [String: String] = [:]
        var used = Set<String>()
        for legacy in legacyItems {
            let label = (legacy["name"] as? String) ?? ""
            let oidName = (legacy["oid_name"] as? String) ?? label
            var key = normalisedName(oidName.isEmpty ? label : oidName)
            if used.contains(key) { key = normalisedName(label) }
            var suffix = 2
            let base = key
            while used.contains(key) {
                key = "\(base)_\(suffix)"
                suffix += 1
            }
            used.insert(key)
            renamed[oidName] = key
            renamed[label] = renamed[label] ?? key
            let legacyType = ((legacy["value_type"] as? String) ?? "integer").lowercased()
            guard let valueType = valueTypes[legacyType] else {
                throw refuse("item \(label.debugDescription): unknown value_type \(legacyType.debugDescription)")
            }
            let units = (legacy["units"] as? String).flatMap { $0.isEmpty ? nil : $0 }
            items.append(
                MonitoringTemplate.Item(
                    name: key, oidName: oidName.isEmpty ? label : oidName, oid: (legacy["oid"] as? String) ?? "",
                    interval: (legacy["interval"] as? Int) ?? 60, valueType: valueType, units: units,
                    isTable: (legacy["is_table"] as? Bool) ?? false))
        }
        var triggers: [MonitoringTemplate.Trigger] = []
        for legacy in (object["triggers"] as? [[String: Any]]) ?? [] {
            let triggerName = ((legacy["name"] as? String) ?? "").trimmingCharacters(in: .whitespaces)
            let legacySeverity = ((legacy["severity"] as? String) ?? "warning").lowercased()
            guard let severity = severities[legacySeverity] else {
                throw refuse(
                    "trigger \(triggerName.debugDescription): unknown severity \(legacySeverity.debugDescription)")
            }
            triggers.append(
                MonitoringTemplate.Trigger(
                    name: triggerName, expression: rename(((legacy["expression"] as? String) ?? ""), renamed),
                    severity: severity, forDuration: (legacy["for_duration"] as? Int) ?? 0))
        }
        let template = MonitoringTemplate(
            name: name, description: object["description"] as? String,
            vendor: (object["vendor"] as? String).flatMap { $0.isEmpty ? nil : $0 },
            deviceTypes: (object["device_types"] as? [String]) ?? [], items: items, triggers: triggers)
        do {
            try template.validate()
        } catch {
            throw Refused(description: "\(source): \(error)")
        }
        return template
    }

    /// `ifOperStatus` → `if_oper_status`, `CPU 5sec Average` → `cpu_5sec_average`: lower case,
    /// words joined by `_`, starting with a letter.
    static func normalisedName(_ text: String) -> String {
        var result = ""
        var previous: Character?
        for character in text {
            if character.isLetter || character.isNumber, character.isASCII {
                if character.isUppercase, let previous, previous.isLowercase || previous.isNumber {
                    result.append("_")
                }
                result.append(Character(character.lowercased()))
            } else if !result.hasSuffix("_"), !result.isEmpty {
                result.append("_")
            }
            previous = character
        }
        while result.hasSuffix("_") { result.removeLast() }
        if let first = result.first, !first.isLetter { result = "item_" + result }
        return result.isEmpty ? "item" : String(result.prefix(100))
    }

    /// `expression` with every identifier that names a legacy item replaced by its new name.
    static func rename(_ expression: String, _ renamed: [String: String]) -> String {
        var output = ""
        var word = ""
        func flush() {
            output += renamed[word] ?? word
            word = ""
        }
        for character in expression {
            if character.isLetter || character.isNumber || character == "_" || (character == "." && !word.isEmpty) {
                word.append(character)
            } else {
                flush()
                output.append(character)
            }
        }
        flush()
        return output
    }
}
