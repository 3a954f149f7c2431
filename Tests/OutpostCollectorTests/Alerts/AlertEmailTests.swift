import Foundation
import OutpostCollector
import OutpostCore
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

/// E-mail channels through a real SMTP conversation with an in-test server.
extension AlertEngineTests {
    static func addEmailRule(
        _ db: PostgresConnection, name: String, channels: String, recipients: String, device: DeviceID
    ) async throws {
        try await db.query(
            """
            INSERT INTO alert_rules (name, expression, severity, notification_channels, notification_recipients, device_id)
            VALUES (\(name), 'packet_loss > 50', 'critical', \(channels)::jsonb, \(recipients)::jsonb, \(device.uuid))
            """, logger: TestDatabase.logger)
    }

    @Test(
        "an e-mail channel sends one SMTP message per event to the channel's and the rule's recipients, dot-stuffed, CRLF, UTC date"
    )
    func emailThroughSMTP() async throws {
        try await Self.withFleet { db, database, fleet in
            let smtp = SMTPReceiver()
            try await smtp.serve { port in
                try await Self.addEmailRule(
                    db, name: ".dot rule",
                    channels: #"[{"type":"email","to":["noc@example.com","not an address"]}]"#,
                    recipients: #"["ops@example.com",{"email":"oncall@example.com"}]"#, device: fleet.a)
                var configuration = AlertEngine.Configuration()
                configuration.smtp = try SMTPConfiguration(host: "127.0.0.1", port: port, from: "outpost@example.com")
                try await Self.withEngine(database.url, configuration: configuration) { pipeline, _ in
                    let start = Date()
                    _ = try await pipeline.submit(Self.round(fleet, 1, devices: [fleet.a], reachable: false, at: start))
                    #expect(try await eventually(within: .seconds(10)) { smtp.messages.count == 1 })
                    let message = try #require(smtp.messages.first)
                    #expect(message.mailFrom == "MAIL FROM:<outpost@example.com>")
                    #expect(message.recipients == ["noc@example.com", "ops@example.com", "oncall@example.com"])
                    #expect(message.allCRLF)
                    #expect(message.rawLines.contains("Subject: [Outpost] FIRING critical: .dot rule on router-a"))
                    #expect(message.rawLines.contains("To: <noc@example.com>, <ops@example.com>, <oncall@example.com>"))
                    // The body's first line starts with '.': sent as '..' (dot-stuffing).
                    #expect(message.rawLines.contains("..dot rule on router-a: (packet_loss > 50) (value 100)"))
                    let date = try #require(message.rawLines.first { $0.hasPrefix("Date: ") })
                    #expect(date.hasSuffix(" +0000"))
                    #expect(
                        try await eventually(within: .seconds(10)) {
                            try await db.strings(
                                """
                                SELECT a->>'channel' || ':' || (a->>'status') || ':' || (a->>'ok') || ':' || (a->'to'->>0)
                                FROM alert_history, jsonb_array_elements(notifications_sent) a
                                """) == ["email:250:true:noc@example.com"]
                        })
                    _ = try await pipeline.submit(
                        Self.round(fleet, 2, devices: [fleet.a], reachable: true, at: start.addingTimeInterval(10)))
                    #expect(try await eventually(within: .seconds(10)) { smtp.messages.count == 2 })
                    #expect(
                        smtp.messages.last?.rawLines.contains(
                            "Subject: [Outpost] RESOLVED critical: .dot rule on router-a") == true)
                }
            }
        }
    }

    @Test("a dead SMTP server: the failed attempt is recorded with its error and evaluation goes on")
    func deadSMTPServer() async throws {
        try await Self.withFleet { db, database, fleet in
            try await Self.addEmailRule(
                db, name: "mail", channels: #"[{"type":"email","to":"noc@example.com"}]"#, recipients: "[]",
                device: fleet.a)
            try await Self.addRule(db, name: "later", expression: "packet_loss > 50", device: fleet.b)
            var configuration = AlertEngine.Configuration()
            configuration.smtp = try SMTPConfiguration(host: "127.0.0.1", port: 1, from: "outpost@example.com")
            try await Self.withEngine(database.url, configuration: configuration) { pipeline, _ in
                _ = try await pipeline.submit(Self.round(fleet, 1, devices: [fleet.a], reachable: false, at: Date()))
                _ = try await pipeline.submit(Self.round(fleet, 2, devices: [fleet.b], reachable: false, at: Date()))
                #expect(try await Self.historyReaches(2, on: db, within: .seconds(5)))
                #expect(
                    try await eventually(within: .seconds(10)) {
                        try await db.integer(
                            """
                            SELECT count(*) FROM alert_history, jsonb_array_elements(notifications_sent) a
                            WHERE rule_name = 'mail' AND a->>'channel' = 'email' AND a->>'ok' = 'false' AND a->>'error' <> ''
                            """) >= 1
                    })
            }
        }
    }
}
