extension MonitoringTemplate {
    /// Longest trigger expression: `alert_rules.expression` holds 500 characters.
    static let maximumExpressionLength = 500
    /// Longest `for_duration`: one week.
    static let maximumForDuration = 7 * 86_400

    /// Checks every rule the database would enforce later (or not at all), so a bad template is
    /// refused as a whole with the offending item or trigger named.
    public func validate() throws(TemplateError) {
        try check(
            Self.isPlainText(name, maximumLength: 100), "name must be 1 to 100 characters without control characters")
        if let vendor { try check(Self.isPlainText(vendor, maximumLength: 100), "vendor must be 1 to 100 characters") }
        for text in matchVendors + deviceTypes {
            try check(
                Self.isPlainText(text, maximumLength: 100),
                "match_vendors and device_types entries must be 1 to 100 characters")
        }
        try check(!items.isEmpty, "has no items")
        var names = Set<String>()
        for item in items {
            let label = "item \(item.name.debugDescription)"
            try check(
                Self.isKey(item.name), "\(label): name must match [a-z][a-z0-9_]* and have at most 100 characters")
            try check(names.insert(item.name).inserted, "\(label) appears twice")
            try check(
                Self.isPlainText(item.oidName, maximumLength: 100), "\(label): oid_name must be 1 to 100 characters")
            try check(
                Self.isNumericOID(item.oid), "\(label): oid \(item.oid.debugDescription) is not a numeric OID (1.3.6.…)"
            )
            try check(!(item.isTable && item.oid.hasSuffix(".0")), "\(label): a table column OID does not end in .0")
            try check((1...86_400).contains(item.interval), "\(label): interval must be 1...86400 seconds")
            try check(
                Self.valueTypes.contains(item.valueType),
                "\(label): value_type must be one of \(Self.valueTypes.sorted().joined(separator: ", "))")
            if let units = item.units {
                try check(units.count <= 20, "\(label): units must have at most 20 characters")
            }
        }
        var triggerNames = Set<String>()
        for trigger in triggers {
            let label = "trigger \(trigger.name.debugDescription)"
            try check(Self.isPlainText(trigger.name, maximumLength: 200), "\(label): name must be 1 to 200 characters")
            try check(triggerNames.insert(trigger.name).inserted, "\(label) appears twice")
            try check(
                Self.isPlainText(trigger.expression, maximumLength: Self.maximumExpressionLength),
                "\(label): expression must be 1 to \(Self.maximumExpressionLength) characters")
            try check(
                Self.severities.contains(trigger.severity),
                "\(label): severity must be one of \(Self.severities.sorted().joined(separator: ", "))")
            try check(
                (0...Self.maximumForDuration).contains(trigger.forDuration),
                "\(label): for_duration must be 0...\(Self.maximumForDuration) seconds")
            for reference in Self.itemReferences(in: trigger.expression) where !names.contains(reference) {
                throw .invalid(
                    template: name,
                    reason:
                        "\(label): expression refers to \(reference.debugDescription), which is not an item of this template"
                )
            }
        }
    }

    private func check(_ condition: Bool, _ reason: @autoclosure () -> String) throws(TemplateError) {
        guard condition else { throw .invalid(template: name, reason: reason()) }
    }

    /// The first argument of every `function(argument` in `expression`: the items it reads.
    /// Only this much is checked here; the alert engine owns the grammar.
    static func itemReferences(in expression: String) -> [String] {
        let scalars = Array(expression.unicodeScalars)
        var references: [String] = []
        var index = 0
        while index < scalars.count {
            guard scalars[index] == "(", index > 0, isIdentifier(scalars[index - 1]) else {
                index += 1
                continue
            }
            var end = index + 1
            while end < scalars.count, scalars[end] == " " { end += 1 }
            let start = end
            while end < scalars.count, isIdentifier(scalars[end]) { end += 1 }
            if end > start { references.append(String(String.UnicodeScalarView(scalars[start..<end]))) }
            index = end
        }
        return references
    }

    private static func isIdentifier(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    /// `[a-z][a-z0-9_]*`, at most 100 characters (the `monitoring_items.name` CHECK).
    static func isKey(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, ("a"..."z").contains(first), text.unicodeScalars.count <= 100
        else { return false }
        return text.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
    }

    /// Dotted decimal sub-identifiers, optionally with a leading dot, at most 200 characters.
    static func isNumericOID(_ text: String) -> Bool {
        let body = text.hasPrefix(".") ? text.dropFirst() : Substring(text)
        guard text.count <= 200, !body.isEmpty else { return false }
        return body.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
            !part.isEmpty && part.count <= 10 && part.allSatisfy(\.isASCII) && part.allSatisfy(\.isNumber)
        }
    }

    /// Non-empty, at most `maximumLength` characters, no control characters.
    static func isPlainText(_ text: String, maximumLength: Int) -> Bool {
        !text.isEmpty && text.count <= maximumLength
            && !text.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
