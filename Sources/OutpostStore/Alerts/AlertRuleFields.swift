import Foundation
import OutpostRules
import PostgresNIO

/// Every field of a rule as it will be written, checked against the columns' domains.
struct AlertRuleFields: Sendable {
    var name: String
    var description: String?
    var expression: String
    var severity: String
    var enabled: Bool
    var deviceID: UUID?
    var branchName: String?
    var deviceGroup: String?
    var webhooks: [String]
    var emailRecipients: [String]
    var trace: Bool

    /// Takes every field `patch` sets (e-mail addresses without repeats).
    mutating func apply(_ patch: AlertRulePatch) {
        if let name = patch.name { self.name = name }
        if let description = patch.description { self.description = description }
        if let expression = patch.expression { self.expression = expression }
        if let severity = patch.severity { self.severity = severity }
        if let enabled = patch.enabled { self.enabled = enabled }
        if let deviceID = patch.deviceID { self.deviceID = deviceID }
        if let branchName = patch.branchName { self.branchName = branchName }
        if let deviceGroup = patch.deviceGroup { self.deviceGroup = deviceGroup }
        if let webhooks = patch.webhooks { self.webhooks = webhooks }
        if let addresses = patch.emailRecipients { emailRecipients = AlertRuleAdmin.unique(addresses) }
        if let trace = patch.trace { self.trace = trace }
    }

    /// Refuses what does not fit a column, an expression that does not parse (when
    /// `expression` is set: a stored rule that does not parse may still be disabled), and
    /// notifications that are not http(s) URLs or e-mail addresses (when `notifications` is set).
    func validate(expression checkExpression: Bool = true, notifications: Bool = true) throws(InputError) {
        let texts: [(field: String, problem: String?)] = [
            ("name", TextInput.problem(name, maximumLength: 200)),
            (
                "description",
                description.flatMap {
                    TextInput.problem(
                        $0, minimumLength: 0, maximumLength: AlertRuleAdmin.maximumDescriptionLength, multiline: true)
                }
            ),
            ("expression", TextInput.problem(expression, maximumLength: 500, multiline: true)),
            ("device_group", deviceGroup.flatMap { TextInput.problem($0, maximumLength: 100) }),
            ("branch", branchName.flatMap { TextInput.problem($0, maximumLength: 200) }),
        ]
        for text in texts {
            if let problem = text.problem { throw InputError(field: text.field, reason: problem) }
        }
        if checkExpression {
            try parse()
        }
        guard AlertRuleAdmin.severities.contains(severity) else {
            throw InputError(
                field: "severity", reason: "must be one of \(AlertRuleAdmin.severities.joined(separator: ", "))")
        }
        if notifications {
            try Self.validate(webhooks: webhooks)
            try Self.validate(emailRecipients: emailRecipients)
        }
    }

    /// Refuses an expression the alert engine would reject, with the position of the error.
    func parse() throws(InputError) {
        do {
            _ = try AlertRule(expression, declaredTypes: AlertRuleStore.declaredTypes)
        } catch {
            throw InputError(
                field: "expression", reason: "\(error.message) at position \(error.offset)", position: error.offset)
        }
    }

    static func validate(webhooks: [String]) throws(InputError) {
        guard webhooks.count <= AlertRuleAdmin.maximumNotifications else {
            throw InputError(
                field: "webhooks", reason: "at most \(AlertRuleAdmin.maximumNotifications) URLs")
        }
        for (index, url) in webhooks.enumerated() {
            let components = TextInput.problem(url, maximumLength: 2000) == nil ? URLComponents(string: url) : nil
            guard let components, ["http", "https"].contains(components.scheme?.lowercased() ?? ""),
                components.host.map({ !$0.isEmpty }) == true
            else {
                throw InputError(
                    field: "webhooks",
                    reason: "entry \(index + 1) must be an http or https URL of at most 2000 characters")
            }
        }
    }

    static func validate(emailRecipients: [String]) throws(InputError) {
        guard emailRecipients.count <= AlertRuleAdmin.maximumNotifications else {
            throw InputError(
                field: "email_recipients", reason: "at most \(AlertRuleAdmin.maximumNotifications) addresses")
        }
        for (index, address) in emailRecipients.enumerated() where !isEmailAddress(address) {
            throw InputError(
                field: "email_recipients", reason: "entry \(index + 1) must be an e-mail address like name@example.com")
        }
    }

    /// One `@` between a non-empty local part and a dotted domain, at most 254 characters, no
    /// spaces, control characters or characters that would break a mail header.
    static func isEmailAddress(_ address: String) -> Bool {
        guard address.count <= 254, TextInput.problem(address, maximumLength: 254) == nil else { return false }
        let forbidden = CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: "<>()[]\\,;:\""))
        guard address.unicodeScalars.allSatisfy({ !forbidden.contains($0) }) else { return false }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.allSatisfy { !$0.isEmpty }
    }
}

extension AlertRuleAdmin {
    /// The severities `alert_rules.severity` accepts, most severe first.
    public static let severities = ["critical", "high", "warning", "medium", "low", "info"]
    /// Longest description accepted (`alert_rules.description` is TEXT).
    public static let maximumDescriptionLength = 2000
    /// Most webhooks, and most e-mail addresses, a rule notifies.
    public static let maximumNotifications = 20

    /// The `branch_id` of the rule's branch; refuses a device or branch that does not exist.
    func scope(of fields: AlertRuleFields, on connection: PostgresConnection) async throws -> UUID? {
        if let device = fields.deviceID {
            let rows = try await connection.query(
                "SELECT count(*) FROM standalone_devices WHERE id = \(device)", logger: logger)
            for try await count in rows.decode(Int.self) where count == 0 {
                throw InputError(
                    field: "device_id", reason: "no device has id \(device.uuidString.lowercased())")
            }
        }
        guard let branch = fields.branchName else { return nil }
        let rows = try await connection.query("SELECT id FROM branches WHERE name = \(branch)", logger: logger)
        for try await id in rows.decode(UUID.self) { return id }
        throw InputError(field: "branch", reason: "no branch named \(branch)")
    }
}
