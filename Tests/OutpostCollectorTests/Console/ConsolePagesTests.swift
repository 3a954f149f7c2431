import Foundation
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostCollectorTestSupport

/// The console's login redirect, static files, overview, devices and branches pages over real
/// HTTP, with what each role and region may see.
@Suite("Console: login redirect, static files, overview, devices, branches", .tags(.postgres), .needsPostgres)
struct ConsolePagesTests {
    /// Two regions, three devices in Kakheti (up, down, never probed) and one up in Imereti,
    /// one with a name that must be escaped, and one open alert.
    static func seed(_ db: PostgresConnection) async throws {
        try await db.execute(
            """
            INSERT INTO branches (name, display_name, display_name_ka, region)
            VALUES ('telavi', 'Telavi', 'თელავი', 'Kakheti'), ('kutaisi', 'Kutaisi', 'ქუთაისი', 'Imereti')
            """)
        try await db.execute(
            """
            INSERT INTO standalone_devices (name, ip, branch_id, device_type, last_seen, down_since, last_probe_at)
            SELECT v.name, v.ip, b.id, v.type, v.seen, v.down, v.probe
            FROM (VALUES ('tel-up', '10.1.0.1', 'telavi', 'router', now(), NULL::timestamptz, now()),
                         ('tel-down', '10.1.0.2', 'telavi', 'switch', now() - interval '1 hour', now() - interval '5 minutes', now()),
                         ('<script>alert(1)</script>', '10.1.0.3', 'telavi', 'switch', NULL, NULL, NULL),
                         ('kut-up', '10.2.0.1', 'kutaisi', 'router', now(), NULL, now()))
                 AS v(name, ip, branch, type, seen, down, probe)
            JOIN branches b ON b.name = v.branch
            """)
        try await db.execute(
            "INSERT INTO alert_rules (name, expression, severity) VALUES ('down', 'ping_unreachable >= 1', 'critical')")
        try await db.execute(
            """
            INSERT INTO alert_history (rule_id, rule_name, device_id, severity, message, triggered_at)
            SELECT r.id, r.name, d.id, 'critical', 'tel-down is down', now() - interval '5 minutes'
            FROM alert_rules r, standalone_devices d WHERE d.name = 'tel-down'
            """)
    }

    @Test("without a session a page sends to the login page and back; the login page refuses open redirects")
    func loginRedirect() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { _, http in
            let overview = try await http.get("/")
            #expect(overview.status == 303)
            #expect(overview.header("location") == "/login?next=/")
            let devices = try await http.get("/devices?q=tel&state=down")
            #expect(devices.status == 303)
            #expect(devices.header("location") == "/login?next=/devices%3Fq%3Dtel%26state%3Ddown")
            let login = try await http.get("/login?next=/devices")
            #expect(login.status == 200)
            #expect(login.text.contains("data-next=\"/devices\""))
            for hostile in ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"] {
                var allowed = CharacterSet.urlQueryAllowed
                allowed.remove(charactersIn: "&=+?#")
                let encoded = try #require(hostile.addingPercentEncoding(withAllowedCharacters: allowed))
                let page = try await http.get("/login?next=" + encoded)
                #expect(page.text.contains("data-next=\"/\""), "next=\(hostile)")
            }
        }
    }

    @Test("static files are served with their type and entity tag, revalidated, and nothing else")
    func staticFiles() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { _, http in
            let css = try await http.get("/static/console.css")
            #expect(css.status == 200)
            #expect(css.contentType == "text/css; charset=utf-8")
            let tag = try #require(css.header("etag"))
            #expect(try await http.get("/static/console.css", headers: ["If-None-Match": tag]).status == 304)
            let script = try await http.get("/static/console.js")
            #expect(script.contentType == "text/javascript; charset=utf-8")
            #expect(script.text.contains("EventSource"))
            #expect(try await http.get("/static/missing.css").status == 404)
            #expect(try await http.get("/static/..%2FPackage.swift").status == 404)
        }
    }

    @Test("the overview counts devices and alerts within the operator's regions, with the page's security headers")
    func overview() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            try await Self.seed(db)
            let admin = http.with(token: try await OperatorAccounts.add("root", role: .admin, on: db).token)
            let page = try await admin.get("/")
            #expect(page.status == 200)
            #expect(page.contentType == "text/html; charset=utf-8")
            #expect(page.header("content-security-policy")?.contains("default-src 'self'") == true)
            #expect(page.text.contains("data-tally=\"up\">2<"))
            #expect(page.text.contains("data-tally=\"down\">1<"))
            #expect(page.text.contains("data-tally=\"unknown\">1<"))
            #expect(page.text.contains("tel-down is down"))
            #expect(page.text.contains("href=\"/admin\""), "an admin sees the admin section")

            let imereti = http.with(
                token: try await OperatorAccounts.add("imereti", role: .regionalManager, regions: ["Imereti"], on: db)
                    .token)
            let limited = try await imereti.get("/")
            #expect(limited.text.contains("data-tally=\"up\">1<"))
            #expect(limited.text.contains("data-tally=\"down\">0<"))
            #expect(!limited.text.contains("tel-down is down"), "another region's alert")
            #expect(!limited.text.contains("href=\"/admin\""))
        }
    }

    @Test("the device list filters by state, text, region and type, escapes names, and refuses a bad filter")
    func devices() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            try await Self.seed(db)
            let viewer = http.with(token: try await OperatorAccounts.add("eve", role: .viewer, on: db).token)
            let all = try await viewer.get("/devices")
            #expect(all.status == 200)
            #expect(all.text.contains("Showing 4 devices"))
            #expect(all.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!all.text.contains("<script>alert(1)"))
            let down = try await viewer.get("/devices?state=down")
            #expect(down.text.contains("Showing 1 device"))
            #expect(down.text.contains(">tel-down<"))
            #expect(try await viewer.get("/devices?q=10.2.0").text.contains(">kut-up<"))
            #expect(try await viewer.get("/devices?region=Imereti").text.contains("Showing 1 device"))
            #expect(try await viewer.get("/devices?type=switch").text.contains("Showing 2 devices"))
            let sorted = try await viewer.get("/devices?sort=ip&order=desc").text
            let kutaisi = try #require(sorted.range(of: ">kut-up<"))
            let telavi = try #require(sorted.range(of: ">tel-up<"))
            #expect(kutaisi.lowerBound < telavi.lowerBound, "10.2.0.1 before 10.1.0.1 in descending order")
            let refused = try await viewer.get("/devices?state=sideways")
            #expect(refused.status == 400)
            #expect(refused.text.contains("one of up, down, unknown"))

            let kakheti = http.with(
                token: try await OperatorAccounts.add("kakheti", role: .regionalManager, regions: ["Kakheti"], on: db)
                    .token)
            let limited = try await kakheti.get("/devices")
            #expect(limited.text.contains("Showing 3 devices"))
            #expect(!limited.text.contains("kut-up"))
            #expect(try await kakheti.get("/devices?region=Imereti").text.contains("Showing 0 devices"))
        }
    }

    @Test("the branch list shows Georgian names and the worst state first, within the operator's regions")
    func branches() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            try await Self.seed(db)
            let viewer = http.with(token: try await OperatorAccounts.add("eve", role: .viewer, on: db).token)
            let page = try await viewer.get("/branches")
            #expect(page.status == 200)
            #expect(page.text.contains("თელავი"))
            let telavi = try #require(page.text.range(of: ">Telavi<"))
            let kutaisi = try #require(page.text.range(of: ">Kutaisi<"))
            #expect(telavi.lowerBound < kutaisi.lowerBound, "the branch with a device down comes first")
            let imereti = http.with(
                token: try await OperatorAccounts.add("imereti", role: .regionalManager, regions: ["Imereti"], on: db)
                    .token)
            #expect(!(try await imereti.get("/branches").text.contains("Telavi")))
        }
    }
}
