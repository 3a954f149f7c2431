import Foundation
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@Suite("Alert rule administration: parsing, validation, notifications, audit", .tags(.postgres), .needsPostgres)
struct AlertRuleAdminTests {
    static let actor = AuditActor(name: "nino", source: "http 192.0.2.7")
    let admin = AlertRuleAdmin(logger: TestDatabase.logger)
    let store = AlertRuleStore(logger: TestDatabase.logger)

    @Test("a rule is stored as the alert engine reads it, scoped to a branch, and its creation audited")
    func create() async throws {
        try await TestDatabase.withMigrated { db, _ in
            try await db.execute("INSERT INTO branches (name, display_name) VALUES ('tbilisi-1', 'Tbilisi 1')")
            var draft = AlertRuleDraft(name: "down", expression: "ping_unreachable >= 3", severity: "critical")
            draft.branchName = "tbilisi-1"
            draft.webhooks = ["https://hooks.example.com/outpost"]
            draft.emailRecipients = ["noc@example.ge", "NOC@example.ge", "duty@example.ge"]
            let rule = try await admin.create(draft, by: Self.actor, on: db)
            #expect(rule.branchName == "tbilisi-1" && rule.enabled && rule.severity == "critical")
            #expect(rule.emailRecipients == ["noc@example.ge", "duty@example.ge"])
            #expect(try await admin.list(on: db) == [rule])
            #expect(try await admin.rule(id: rule.id, on: db) == rule)

            let loaded = try await store.loadRules(on: db)
            #expect(loaded.rejected.isEmpty)
            let record = try #require(loaded.rules.first?.record)
            #expect(record.webhooks == ["https://hooks.example.com/outpost"])
            #expect(record.emailRecipients == ["noc@example.ge", "duty@example.ge"])
            #expect(record.scope.branchID != nil)
            #expect(
                try await db.strings(
                    """
                    SELECT action || ' ' || (changes->'expression'->>'after') || ' ' || (changes->'webhooks'->'after')::text
                    FROM audit_log WHERE entity = 'alert_rule' AND entity_id = '\(rule.id.uuidString.lowercased())'
                    """) == [#"create ping_unreachable >= 3 ["https://hooks.example.com/outpost"]"#])
        }
    }

    @Test("an expression that does not parse is refused with the parser's position")
    func parseError() async throws {
        try await TestDatabase.withMigrated { db, _ in
            for (expression, position) in [("ping_unreachable >= ", 20), ("ping_unreachable >= 3 and )", 26)] {
                do {
                    _ = try await admin.create(
                        AlertRuleDraft(name: "bad", expression: expression, severity: "high"), by: Self.actor, on: db)
                    Issue.record("accepted \(expression)")
                } catch let error as InputError {
                    #expect(error.field == "expression")
                    #expect(error.position == position, "\(error)")
                    #expect(error.reason.hasSuffix(" at position \(position)"), "\(error)")
                }
            }
            #expect(try await admin.list(on: db).isEmpty)
        }
    }

    @Test("every refused field is named")
    func validation() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let cases: [(String, (inout AlertRuleDraft) -> Void)] = [
                ("name", { $0.name = "" }),
                ("name", { $0.name = String(repeating: "n", count: 201) }),
                ("description", { $0.description = String(repeating: "d", count: 2001) }),
                ("expression", { $0.expression = "" }),
                ("expression", { $0.expression = "ping_loss > " + String(repeating: "1", count: 490) }),
                ("severity", { $0.severity = "urgent" }),
                ("device_group", { $0.deviceGroup = String(repeating: "g", count: 101) }),
                ("webhooks", { $0.webhooks = ["ftp://files.example.com/"] }),
                ("webhooks", { $0.webhooks = ["not a url"] }),
                ("webhooks", { $0.webhooks = ["https://"] }),
                ("webhooks", { $0.webhooks = Array(repeating: "https://h.example.com/", count: 21) }),
                ("email_recipients", { $0.emailRecipients = ["nobody"] }),
                ("email_recipients", { $0.emailRecipients = ["a@b@example.com"] }),
                ("email_recipients", { $0.emailRecipients = ["a b@example.com"] }),
                ("email_recipients", { $0.emailRecipients = ["a@localhost"] }),
                ("device_id", { $0.deviceID = UUID() }),
                ("branch", { $0.branchName = "nowhere" }),
            ]
            for (field, change) in cases {
                var draft = AlertRuleDraft(name: "rule", expression: "ping_loss > 50", severity: "warning")
                change(&draft)
                do {
                    _ = try await admin.create(draft, by: Self.actor, on: db)
                    Issue.record("accepted a draft with a bad \(field)")
                } catch let error as InputError {
                    #expect(error.field == field, "\(error)")
                    #expect("\(error)".hasPrefix("\(field): "))
                }
            }
            #expect(try await db.integer("SELECT count(*) FROM alert_rules") == 0)
            #expect(try await db.integer("SELECT count(*) FROM audit_log") == 0)
        }
    }

    @Test("updates keep notification channels they do not manage; disabled rules are listed; deletion audited")
    func updateAndDelete() async throws {
        try await TestDatabase.withMigrated { db, _ in
            try await db.execute(
                """
                INSERT INTO alert_rules (name, expression, severity, notification_channels, notification_recipients)
                VALUES ('legacy', 'ping_loss > 50', 'warning', '["email", {"type": "sms", "to": "+995"}]',
                        '["old@example.ge"]')
                """)
            let legacy = try #require(try await admin.list(on: db).first)
            #expect(legacy.emailRecipients == ["old@example.ge"])

            var patch = AlertRulePatch()
            patch.severity = "high"
            patch.enabled = false
            patch.webhooks = ["http://hooks.example.com/a"]
            let updated = try await admin.update(id: legacy.id, patch, by: Self.actor, on: db)
            #expect(updated.severity == "high" && !updated.enabled)
            #expect(updated.webhooks == ["http://hooks.example.com/a"])
            #expect(updated.emailRecipients == ["old@example.ge"])
            #expect(
                try await db.strings(
                    "SELECT notification_channels->0->>'type' FROM alert_rules") == ["sms"], "the sms channel stays")
            #expect(try await admin.list(on: db).map(\.id) == [legacy.id], "disabled rules are listed")
            #expect(
                try await db.strings(
                    """
                    SELECT (changes->'severity'->>'before') || ' -> ' || (changes->'severity'->>'after') || ', '
                           || (changes->'enabled'->>'before') || ' -> ' || (changes->'enabled'->>'after')
                    FROM audit_log WHERE entity = 'alert_rule' AND action = 'update'
                    """) == ["warning -> high, true -> false"])

            var bad = AlertRulePatch()
            bad.expression = "ping_loss >"
            await #expect(throws: InputError.self) {
                try await admin.update(id: legacy.id, bad, by: Self.actor, on: db)
            }
            #expect(try await admin.rule(id: legacy.id, on: db) == updated)

            try await admin.delete(id: legacy.id, by: Self.actor, on: db)
            #expect(try await admin.list(on: db).isEmpty)
            #expect(
                try await db.strings(
                    "SELECT changes->'name'->>'before' FROM audit_log WHERE entity = 'alert_rule' AND action = 'delete'"
                )
                    == ["legacy"])
            await #expect(throws: AlertRuleAdminError.notFound(legacy.id)) {
                try await admin.delete(id: legacy.id, by: Self.actor, on: db)
            }
        }
    }

    @Test("a stored rule that does not parse can be disabled, not re-enabled before it is fixed")
    func brokenStoredRule() async throws {
        try await TestDatabase.withMigrated { db, _ in
            try await db.execute(
                "INSERT INTO alert_rules (name, expression, severity) VALUES ('broken', 'ping_loss >', 'low')")
            let broken = try #require(try await admin.list(on: db).first)
            var disable = AlertRulePatch()
            disable.enabled = false
            #expect(try await admin.update(id: broken.id, disable, by: Self.actor, on: db).enabled == false)
            var enable = AlertRulePatch()
            enable.enabled = true
            await #expect(throws: InputError.self) {
                try await admin.update(id: broken.id, enable, by: Self.actor, on: db)
            }
            enable.expression = "ping_loss > 5"
            #expect(try await admin.update(id: broken.id, enable, by: Self.actor, on: db).enabled)
        }
    }
}
