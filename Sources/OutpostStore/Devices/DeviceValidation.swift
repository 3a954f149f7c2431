import OutpostCore

/// The domain of each `standalone_devices` column an operator sets, checked before any SQL runs.
enum DeviceValidation {
    /// `name`: 1 to 200 characters, not blank, no control characters.
    static func name(_ value: String) throws(InputError) {
        try text(value, field: "name", maximum: 200)
        guard !value.allSatisfy(\.isWhitespace) else {
            throw InputError(field: "name", reason: "must not be blank")
        }
    }

    /// `ip`: an IPv4 or IPv6 literal of at most 45 characters.
    static func ip(_ value: String) throws(InputError) {
        guard value.unicodeScalars.count <= 45, IPAddressText.isValid(value) else {
            throw InputError(
                field: "ip", reason: "\(value.prefix(64).debugDescription) is not an IPv4 or IPv6 address")
        }
    }

    /// An optional single-line text column of at most `maximum` characters.
    static func optional(_ value: String?, field: String, maximum: Int) throws(InputError) {
        guard let value else { return }
        try text(value, field: field, maximum: maximum)
    }

    /// `description`: at most 10,000 characters; line breaks and tabs allowed.
    static func description(_ value: String?) throws(InputError) {
        guard let value else { return }
        guard value.unicodeScalars.count <= maximumDescriptionLength else {
            throw InputError(
                field: "description", reason: "must be at most \(maximumDescriptionLength) characters")
        }
        guard !value.unicodeScalars.contains(where: { isControl($0) && !["\n", "\r", "\t"].contains($0) }) else {
            throw InputError(field: "description", reason: "must not contain control characters")
        }
    }

    /// `ssh_port`: 1 to 65535.
    static func sshPort(_ value: Int) throws(InputError) {
        guard (1...65535).contains(value) else {
            throw InputError(field: "ssh_port", reason: "must be 1 to 65535, not \(value)")
        }
    }

    /// `unit_number`: an INTEGER, 0 or more.
    static func unitNumber(_ value: Int?) throws(InputError) {
        guard let value else { return }
        guard (0...Int(Int32.max)).contains(value) else {
            throw InputError(field: "unit_number", reason: "must be 0 to \(Int32.max), not \(value)")
        }
    }

    /// `tags`: at most 50 tags of 1 to 100 characters, without `;` (the CSV's separator).
    static func tags(_ values: [String]) throws(InputError) {
        guard values.count <= maximumTags else {
            throw InputError(field: "tags", reason: "at most \(maximumTags) tags, not \(values.count)")
        }
        for tag in values {
            try text(tag, field: "tags", maximum: 100)
            guard !tag.contains(";") else {
                throw InputError(field: "tags", reason: "a tag must not contain ';': \(tag.debugDescription)")
            }
        }
    }

    /// A branch name as a filter or an assignment: 1 to 200 characters (`branches.name`).
    static func branch(_ value: String?) throws(InputError) {
        try optional(value, field: "branch", maximum: 200)
    }

    /// Non-empty, at most `maximum` characters (as PostgreSQL counts them), no control characters.
    static func text(_ value: String, field: String, maximum: Int) throws(InputError) {
        let length = value.unicodeScalars.count
        guard length >= 1, length <= maximum else {
            throw InputError(field: field, reason: "must be 1 to \(maximum) characters, not \(length)")
        }
        guard !value.unicodeScalars.contains(where: isControl) else {
            throw InputError(field: field, reason: "must not contain control characters")
        }
    }

    /// Longest `description` accepted (the column is TEXT).
    static let maximumDescriptionLength = 10_000
    /// Most tags on one device.
    static let maximumTags = 50

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control
    }
}
