import Foundation

/// Reads template JSON: one template object, or an array of them. Every template is validated.
enum TemplateDocument {
    /// Largest template file accepted.
    static let maximumBytes = 4 << 20

    /// Decodes and validates the templates in `data`; `source` names it in errors.
    static func decode(_ data: Data, source: String) throws(TemplateError) -> [MonitoringTemplate] {
        guard data.count <= maximumBytes else {
            throw .unreadable(source: source, reason: "larger than \(maximumBytes) bytes")
        }
        let templates: [MonitoringTemplate]
        do {
            let trimmed = data.drop {
                $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\t")
                    || $0 == UInt8(ascii: "\r")
            }
            if trimmed.first == UInt8(ascii: "[") {
                templates = try JSONDecoder().decode([MonitoringTemplate].self, from: data)
            } else {
                templates = [try JSONDecoder().decode(MonitoringTemplate.self, from: data)]
            }
        } catch {
            throw .unreadable(source: source, reason: describe(error))
        }
        guard !templates.isEmpty else { throw .unreadable(source: source, reason: "the array is empty") }
        var names = Set<String>()
        for template in templates {
            try template.validate()
            guard names.insert(template.name).inserted else {
                throw .unreadable(source: source, reason: "template \(template.name.debugDescription) appears twice")
            }
        }
        return templates
    }

    /// JSON text of `value` with sorted keys (stable, so unchanged templates compare equal).
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// A decoding error as a path and a reason a person can act on.
    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return keys.isEmpty ? "" : "at \(keys): "
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context))missing \"\(key.stringValue)\""
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context))\(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
