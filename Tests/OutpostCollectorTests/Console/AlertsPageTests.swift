import Foundation
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostCollectorTestSupport

@Suite("Console: the alerts page", .tags(.postgres), .needsPostgres)
struct AlertsPageTests {
    /// Branches telavi (Kakheti) and kutaisi (Imereti); router-telavi in telavi and a device
    /// named like a script in kutaisi, an open alert on each, 55 resolved alerts of
    /// router-telavi a minute apart, and a maintenance window over telavi.
    static func seed(_ db: PostgresConnection) async throws {
        for statement in [
            "INSERT INTO branches (name, display_name, region) VALUES ('telavi', 'Telavi', 'Kakheti'), ('kutaisi', 'Kutaisi', 'Imereti')",
            """
            INSERT INTO standalone_devices (name, ip, branch_id)
            SELECT CASE name WHEN 'telavi' THEN 'router-telavi' ELSE '<script>alert(1)</script>' END,
                   CASE name WHEN 'telavi' THEN '10.1.0.1' ELSE '10.2.0.1' END, id FROM branches
            """,
            "INSERT INTO alert_rules (name, expression, severity) VALUES ('down', 'ping_unreachable >= 1', 'critical')",
            """
            INSERT INTO alert_history (rule_id, device_id, severity, message, value)
            SELECT (SELECT id FROM alert_rules), id, 'critical', 'open on ' || name, '100' FROM standalone_devices
            """,
            """
            INSERT INTO alert_history (rule_id, device_id, severity, message, triggered_at, resolved_at)
            SELECT (SELECT id FROM alert_rules), (SELECT id FROM standalone_devices WHERE name = 'router-telavi'),
                   CASE WHEN n % 5 = 0 THEN 'warning' ELSE 'critical' END, 'past-' || n,
                   now() - interval '2 hours' + n * interval '1 minute',
                   now() - interval '2 hours' + n * interval '1 minute' + interval '30 seconds'
            FROM generate_series(1, 55) AS n
            """,
            """
            INSERT INTO maintenance_windows (name, comment, starts_at, ends_at)
            VALUES ('router swap', 'CHG-1203', now() - interval '1 hour', now() + interval '1 hour')
            """,
            """
            INSERT INTO maintenance_window_targets (window_id, branch_id)
            SELECT (SELECT id FROM maintenance_windows), id FROM branches WHERE name = 'telavi'
            """,
        ] {
            try await db.execute(statement)
        }
    }

    /// `username`'s session client (a new user of `role`).
    static func session(
        _ http: HTTPTestClient, _ username: String, _ role: OperatorRole, regions: [String] = [],
        on db: PostgresConnection
    ) async throws -> HTTPTestClient {
        _ = try await OperatorAccounts.add(username, role: role, regions: regions, on: db)
        let (client, reply) = try await LoginSessionTests.login(http, username)
        #expect(reply.status == 200, "\(reply.text)")
        return client
    }

    /// How often `needle` occurs in `text`.
    static func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    @Test("a viewer sees open alerts, history and windows, escaped, without a control to act")
    func viewer() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            try await Self.seed(db)
            let anonymous = try await http.get("/alerts")
            #expect(anonymous.status == 303, "without a session: sent to the login page")
            #expect(anonymous.header("location") == "/login?next=/alerts")
            #expect(!anonymous.text.contains("router-telavi"))
            let viewer = try await Self.session(http, "vera", .viewer, on: db)
            let reply = try await viewer.get("/alerts")
            #expect(reply.status == 200)
            #expect(reply.contentType?.hasPrefix("text/html") == true)
            let html = reply.text
            #expect(html.contains("data-live=\"all\""))
            #expect(html.contains("Open alerts (2)"))
            #expect(html.contains("open on router-telavi"))
            let telavi = try await db.strings("SELECT id::text FROM standalone_devices WHERE name = 'router-telavi'")
            #expect(html.contains("<a href=\"/devices/\(telavi[0])\">router-telavi</a>"))
            #expect(html.contains("<a href=\"/branches/telavi\">telavi</a>"))
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!html.contains("<script>alert(1)"))
            #expect(html.contains("router swap"))
            #expect(html.contains("branch telavi"))
            #expect(html.contains("CHG-1203"))
            #expect(!html.contains("/acknowledge"))
            #expect(!html.contains("/resolve"))
            #expect(!html.contains("/end\""))
            #expect(!html.contains("data-page-api"))
        }
    }

    @Test("a technician gets acknowledge and resolve; the page shows who acknowledged, when and why")
    func technician() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            try await Self.seed(db)
            let technician = try await Self.session(http, "tech", .technician, on: db)
            let open = try await db.strings("SELECT id::text FROM alert_history WHERE resolved_at IS NULL ORDER BY id")
            var html = try await technician.get("/alerts").text
            for id in open {
                #expect(html.contains("data-path=\"/api/v1/alerts/\(id)/acknowledge\""))
                #expect(html.contains("data-path=\"/api/v1/alerts/\(id)/resolve\""))
            }
            #expect(!html.contains("data-page-api"), "a technician does not schedule maintenance")
            let acknowledged = try await technician.send(
                "POST", "/api/v1/alerts/\(open[0])/acknowledge", json: ["comment": "ISP <ticket> 4411"])
            #expect(acknowledged.status == 200, "\(acknowledged.text)")
            html = try await technician.get("/alerts").text
            #expect(!html.contains("/api/v1/alerts/\(open[0])/acknowledge"))
            #expect(html.contains("/api/v1/alerts/\(open[0])/resolve"))
            #expect(html.contains("✓ tech"))
            #expect(html.contains("ISP &lt;ticket&gt; 4411"))
        }
    }

    @Test("a regional manager sees their region's alerts only, and schedules and ends its maintenance")
    func regionalManager() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            try await Self.seed(db)
            let manager = try await Self.session(http, "kakheti", .regionalManager, regions: ["Kakheti"], on: db)
            let html = try await manager.get("/alerts").text
            #expect(html.contains("Open alerts (1)"))
            #expect(html.contains("open on router-telavi"))
            #expect(!html.contains("alert(1)"))
            #expect(html.contains("data-page-api=\"/api/v1/maintenance\""))
            #expect(html.contains("<option value=\"telavi\">telavi</option>"))
            #expect(!html.contains("<option value=\"kutaisi\""))
            let window = try await db.strings("SELECT id::text FROM maintenance_windows")[0]
            #expect(html.contains("data-path=\"/api/v1/maintenance/\(window)/end\""))
            // What pages.js posts for the form: branches as a list, times in UTC.
            let device = try await db.strings("SELECT id::text FROM standalone_devices WHERE name = 'router-telavi'")[0]
            let created = try await manager.send(
                "POST", "/api/v1/maintenance",
                json: [
                    "name": "ups test", "branches": ["telavi"], "device_ids": [device],
                    "starts_at": Date().addingTimeInterval(86400).formatted(.iso8601),
                    "ends_at": Date().addingTimeInterval(90000).formatted(.iso8601), "comment": "CHG-1300",
                ])
            #expect(created.status == 201, "\(created.text)")
            let scheduled = try await manager.get("/alerts").text
            let row = try #require(scheduled.components(separatedBy: "<tr>").first { $0.contains("ups test") })
            #expect(row.contains("upcoming"))
            #expect(row.contains("router-telavi, branch telavi"))
            #expect(row.contains("CHG-1300"))

            let other = try await Self.session(http, "imereti", .regionalManager, regions: ["Imereti"], on: db)
            let theirs = try await other.get("/alerts").text
            #expect(theirs.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!theirs.contains("router-telavi"))
            #expect(!theirs.contains("router swap"), "a window over another region is not listed")
        }
    }

    @Test("the history pages 50 at a time, newest first, and filters by severity, branch and device text")
    func history() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            try await Self.seed(db)
            let viewer = try await Self.session(http, "vera", .viewer, on: db)
            let first = try await viewer.get("/alerts").text
            #expect(Self.count(">past-", in: first) == 50)
            let newest = try #require(first.range(of: ">past-55<"))
            let older = try #require(first.range(of: ">past-54<"))
            #expect(newest.lowerBound < older.lowerBound)
            #expect(!first.contains(">past-5<"))
            let link = try #require(
                first.components(separatedBy: "<a href=\"").dropFirst().first { $0.contains("rel=\"next\"") })
            let href = String(link.prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&")
            #expect(href.hasPrefix("/alerts?cursor="))
            let second = try await viewer.get(href).text
            #expect(Self.count(">past-", in: second) == 5)
            #expect(second.contains(">past-5<"))
            #expect(!second.contains("rel=\"next\""))
            #expect(second.contains(">Newest</a>"))

            let warnings = try await viewer.get("/alerts?severity=warning").text
            #expect(Self.count(">past-", in: warnings) == 11)
            #expect(try await viewer.get("/alerts?device=TELAVI").text.contains(">past-55<"))
            #expect(!(try await viewer.get("/alerts?device=nothing-like-it").text.contains(">past-")))
            #expect(!(try await viewer.get("/alerts?branch=kutaisi").text.contains(">past-")))
            let refused = try await viewer.get("/alerts?severity=urgent")
            #expect(refused.status == 400)
            #expect(refused.text.contains("severity: one of critical"))
            #expect(try await viewer.get("/alerts?cursor=not-a-cursor").status == 400)
        }
    }
}
