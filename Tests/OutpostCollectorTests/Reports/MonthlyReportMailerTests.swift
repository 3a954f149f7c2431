import Foundation
import OutpostCollector
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@Suite("Monthly report e-mail", .tags(.postgres), .needsPostgres)
struct MonthlyReportMailerTests {
    /// The base64 content of the MIME part whose headers contain `marker`, decoded.
    static func part(_ lines: [String], after marker: String) -> String? {
        guard let start = lines.firstIndex(where: { $0.contains(marker) }) else { return nil }
        guard let blank = lines[start...].firstIndex(of: "") else { return nil }
        let encoded = lines[(blank + 1)...].prefix { !$0.isEmpty && !$0.hasPrefix("--") }.joined()
        return Data(base64Encoded: encoded).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test("two collectors and a restart send November's report once: HTML, text and CSV attachments")
    func sendsOnce() async throws {
        try await TestDatabase.withMigrated { db, database in
            let branch = try await Fixture.branch("telavi", displayName: "Telavi <main>", on: db)
            let device = try await Fixture.device("sw-telavi", ip: "10.1.0.2", branch: branch, on: db)
            try await db.execute("SELECT outpost_ensure_daily_partitions('ping_results', '2026-11-20', 1)")
            try await db.query(
                """
                INSERT INTO ping_results (device_id, device_ip, packets_sent, packets_received, packet_loss_percent,
                    is_reachable, timestamp)
                SELECT \(device), '10.0.0.1', 3, CASE WHEN t >= '2026-11-20 10:30:00+00' AND t < '2026-11-20 10:40:00+00'
                    THEN 0 ELSE 3 END, 0, NOT (t >= '2026-11-20 10:30:00+00' AND t < '2026-11-20 10:40:00+00'), t
                FROM generate_series(TIMESTAMPTZ '2026-11-20 10:00:10+00', '2026-11-20 10:59:59+00', interval '30 seconds') t
                """, logger: TestDatabase.logger)
            try await db.execute(
                "INSERT INTO rollup_pending SELECT DISTINCT 'ping', device_id, date_trunc('minute', timestamp) FROM ping_results"
            )
            while try await RollupWriter(logger: TestDatabase.logger).rollUp(now: Date(), on: db).claimed > 0 {}
            let smtp = SMTPReceiver()
            let client = PostgresClient(
                configuration: database.url.clientConfiguration, backgroundLogger: TestDatabase.logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                defer { group.cancelAll() }
                try await smtp.serve { port in
                    let smtpConfiguration = try SMTPConfiguration(
                        host: "127.0.0.1", port: port, from: "outpost@example.com")
                    func mailer(_ name: String) -> MonthlyReportMailer {
                        MonthlyReportMailer(
                            client: client,
                            configuration: .init(
                                smtp: smtpConfiguration, recipients: ["noc@example.com"], sender: name),
                            logger: TestDatabase.logger)
                    }
                    let early = Date(timeIntervalSince1970: 1_796_083_200 + 600)  // 2026-12-01 00:10 UTC
                    #expect(try await mailer("a").sendIfDue(now: early) == .notDue)
                    let due = early.addingTimeInterval(2 * 3_600)
                    async let first = mailer("a").sendIfDue(now: due)
                    async let second = mailer("b").sendIfDue(now: due)
                    let outcomes = [try await first, try await second]
                    #expect(outcomes.filter { $0 == .sent(month: "2026-11", code: 250) }.count == 1)
                    #expect(outcomes.filter { $0 == .claimedElsewhere("2026-11") }.count == 1)
                    // A restart (a new mailer) finds the month sent.
                    #expect(
                        try await mailer("a").sendIfDue(now: due.addingTimeInterval(86_400))
                            == .claimedElsewhere("2026-11"))
                    #expect(
                        try await MonthlyReportMailer(client: client, configuration: nil, logger: TestDatabase.logger)
                            .sendIfDue(now: due) == .off)
                }
            }
            #expect(smtp.messages.count == 1)
            let message = try #require(smtp.messages.first)
            #expect(message.recipients == ["noc@example.com"])
            #expect(message.rawLines.contains("Subject: Outpost availability report 2026-11"))
            #expect(message.rawLines.contains { $0.hasPrefix("Content-Type: multipart/mixed; boundary=") })
            let html = try #require(Self.part(message.rawLines, after: "Content-Type: text/html"))
            #expect(html.contains("<td>Telavi &lt;main&gt;</td><td>1</td><td>83.333%</td><td>1</td><td>10m</td>"))
            let text = try #require(Self.part(message.rawLines, after: "Content-Type: text/plain"))
            #expect(text.contains("Telavi <main>: 83.333%, 1 outages, MTTR 10m"))
            let devices = try #require(
                Self.part(message.rawLines, after: "filename=\"availability-2026-11-devices.csv\""))
            #expect(devices.hasPrefix("group,name,devices,availability_percent"))
            #expect(devices.contains("sw-telavi,1,"))
            let outages = try #require(
                Self.part(message.rawLines, after: "filename=\"availability-2026-11-outages.csv\""))
            #expect(outages.contains("2026-11-20T10:30:00Z,2026-11-20T10:40:00Z,600"))
            #expect(
                try await db.strings("SELECT value FROM system_config WHERE key = 'report_mail.2026-11'").first?
                    .hasPrefix("sent ") == true)
        }
    }
}
