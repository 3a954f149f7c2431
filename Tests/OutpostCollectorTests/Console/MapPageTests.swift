import Foundation
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostCollectorTestSupport

@Suite("Console: the map page", .tags(.postgres), .needsPostgres)
struct MapPageTests {
    /// Branches in three regions: at their own position, at their town's, and nowhere; devices
    /// up, down and unknown (enabled), and one disabled device that does not count.
    static func seed(_ db: PostgresConnection) async throws {
        try await db.execute(
            """
            INSERT INTO branches (name, display_name, display_name_ka, region, city_id, latitude, longitude)
            VALUES ('tbilisi-vake', 'Vake', 'ვაკე', 'Tbilisi', NULL, 41.709, 44.766),
                   ('tbilisi-saburtalo', 'Saburtalo', NULL, 'Tbilisi',
                    (SELECT id FROM georgian_cities WHERE name_en = 'Tbilisi'), NULL, NULL),
                   ('telavi', 'Telavi', 'თელავი', 'Kakheti',
                    (SELECT id FROM georgian_cities WHERE name_en = 'Telavi'), NULL, NULL),
                   ('batumi', 'Batumi', 'ბათუმი', 'Adjara',
                    (SELECT id FROM georgian_cities WHERE name_en = 'Batumi'), NULL, NULL),
                   ('kakheti-new', 'New office', NULL, 'Kakheti', NULL, NULL, NULL)
            """)
        try await db.execute(
            """
            INSERT INTO standalone_devices (name, ip, branch_id, last_seen, down_since, enabled)
            SELECT v.name, v.ip, b.id, v.last_seen, v.down_since, v.enabled
            FROM (VALUES
                ('vake-r1', '10.0.0.1', 'tbilisi-vake', now(), NULL::timestamptz, true),
                ('vake-r2', '10.0.0.2', 'tbilisi-vake', now(), now(), true),
                ('sab-r1', '10.0.1.1', 'tbilisi-saburtalo', now(), NULL, true),
                ('tel-r1', '10.1.0.1', 'telavi', NULL, NULL, true),
                ('tel-r2', '10.1.0.2', 'telavi', now(), NULL, true),
                ('bat-r1', '10.2.0.1', 'batumi', now(), NULL, true),
                ('bat-off', '10.2.0.2', 'batumi', NULL, now(), false)
            ) AS v(name, ip, branch, last_seen, down_since, enabled)
            JOIN branches b ON b.name = v.branch
            """)
    }

    static func markers(_ html: String) -> [String] {
        html.components(separatedBy: "data-branch=\"").dropFirst().map { String($0.prefix(36)) }
    }

    @Test("an admin's map places every branch with a position, lists the others, and counts regions")
    func adminMap() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            try await Self.seed(db)
            _ = try await OperatorAccounts.add("ana", role: .admin, on: db)
            let (session, _) = try await LoginSessionTests.login(http, "ana")
            let reply = try await session.get("/map")
            #expect(reply.status == 200, "\(reply.text)")
            let html = reply.text
            let placed = try await db.strings(
                "SELECT id::text FROM branches WHERE name <> 'kakheti-new' ORDER BY id")
            #expect(Self.markers(html).sorted() == placed, "one marker per placed branch, by id")
            #expect(html.contains("Not placed: <a href=\"/branches/kakheti-new\">New office</a> (no coordinates)"))
            #expect(html.contains("data-live=\"all\""))
            // Vake has a device down: a down triangle; Telavi one unknown; Batumi's disabled device does not count.
            #expect(
                html.contains("<title>Vake · ვაკე\nTbilisi · თბილისი\n▼ down: devices 1 up, 1 down, 0 unknown</title>"))
            #expect(
                html.contains(
                    "<title>Telavi · თელავი\nKakheti · კახეთი\n? unknown: devices 1 up, 0 down, 1 unknown</title>"))
            #expect(
                html.contains("<title>Batumi · ბათუმი\nAdjara · აჭარა\n▲ up: devices 1 up, 0 down, 0 unknown</title>"))
            #expect(html.contains("data-cluster=\"Tbilisi\""))
            #expect(
                html.contains(
                    "<text class=\"count\" y=\"5\">▼ 2</text><text class=\"region-name\" y=\"26\">Tbilisi</text>"))
            #expect(
                html.contains(
                    "<th scope=\"row\">Kakheti · <span lang=\"ka\">კახეთი</span></th><td>2</td><td>1</td><td>0</td><td>1</td>"
                ), "the table counts the unplaced branch too")
            let external = html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
            #expect(!external.contains("http://") && !external.contains("https://"), "the page loads nothing external")
            let script = try await http.get("/static/map.js")
            #expect(script.status == 200 && script.contentType?.hasPrefix("text/javascript") == true)
            #expect(!script.text.contains("http://") && !script.text.contains("https://"))
        }
    }

    @Test("a regional manager's map shows only their region's branches")
    func regionalManager() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            try await Self.seed(db)
            _ = try await OperatorAccounts.add("kakheti", role: .regionalManager, regions: ["Kakheti"], on: db)
            let (session, _) = try await LoginSessionTests.login(http, "kakheti")
            let html = try await session.get("/map").text
            let telavi = try await db.strings("SELECT id::text FROM branches WHERE name = 'telavi'")
            #expect(Self.markers(html) == telavi)
            #expect(!html.contains("Vake") && !html.contains("Batumi") && !html.contains("Tbilisi</th>"))
            #expect(html.contains("New office"), "their unplaced branch is still listed")
            #expect(html.components(separatedBy: "data-cluster=\"").count - 1 == 1)
        }
    }

    @Test("the map needs a login; the Georgian font is public and served as font/woff2")
    func loginAndFont() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { _, http in
            let anonymous = try await http.get("/map")
            let toLogin = anonymous.status == 303 && anonymous.header("location") == "/login?next=/map"
            #expect(toLogin || anonymous.text.contains("id=\"login-form\""), "sent to the login page")
            let font = try await http.get("/static/NotoSansGeorgian.woff2")
            #expect(font.status == 200)
            #expect(font.contentType == "font/woff2")
            #expect(font.body.prefix(4) == Data("wOF2".utf8))
        }
    }
}
