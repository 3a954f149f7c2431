import OutpostStore

/// The column domains the stores enforce on operator input (`TextInput` in OutpostStore),
/// applied to legacy values that the stores' public validators do not cover.
enum FieldCheck {
    /// 1 to `maximum` characters, no control characters (line breaks and tabs when `multiline`).
    static func text(_ value: String, field: String, maximum: Int, multiline: Bool = false) throws(InputError) {
        guard !value.isEmpty, value.count <= maximum else {
            throw InputError(field: field, reason: "must be 1 to \(maximum) characters, not \(value.count)")
        }
        let allowed: Set<Unicode.Scalar> = multiline ? ["\n", "\r", "\t"] : []
        guard
            !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && !allowed.contains($0) }
            )
        else { throw InputError(field: field, reason: "must not contain control characters") }
    }

    /// As ``text(_:field:maximum:multiline:)`` for an optional column.
    static func optional(_ value: String?, field: String, maximum: Int, multiline: Bool = false) throws(InputError) {
        guard let value else { return }
        try text(value, field: field, maximum: maximum, multiline: multiline)
    }

    /// The text without surrounding white space, and a note when that changed it; an empty
    /// result is `nil`.
    static func trimmed(_ value: String?, field: String, notes: inout [String]) -> String? {
        guard let value else { return nil }
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed != value, !trimmed.isEmpty {
            notes.append("\(field): \(value.debugDescription) trimmed to \(trimmed.debugDescription)")
        }
        return trimmed.isEmpty ? nil : trimmed
    }
}
