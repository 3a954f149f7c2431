import Foundation
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostCollectorTestSupport

@Suite("Console: the admin page", .tags(.postgres), .needsPostgres)
struct AdminPageTests {
    @Test("only an admin opens it; every other role gets 403 and no Admin link")
    func adminsOnly() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            for (name, role) in [("vera", OperatorRole.viewer), ("tech", .technician), ("kakheti", .regionalManager)] {
                let client = try await AlertsPageTests.session(
                    http, name, role, regions: role == .regionalManager ? ["Kakheti"] : [], on: db)
                let refused = try await client.get("/admin")
                #expect(refused.status == 403, "\(name)")
                #expect(!refused.text.contains("/api/v1/users"))
                #expect(!(try await client.get("/alerts").text.contains("href=\"/admin\"")))
            }
            let admin = try await AlertsPageTests.session(http, "root", .admin, on: db)
            let reply = try await admin.get("/admin")
            #expect(reply.status == 200)
            #expect(reply.text.contains("href=\"/admin\" aria-current=\"page\""))
        }
    }

    @Test("users with disable and enable, tokens with revoke, and the create form; names escaped")
    func usersAndTokens() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            _ = try await OperatorAccounts.add("kakheti", role: .regionalManager, regions: ["Kakheti"], on: db)
            _ = try await OperatorAccounts.add("gone", role: .viewer, on: db)
            try await db.execute("UPDATE users SET is_active = FALSE WHERE username = 'gone'")
            try await db.execute(
                "UPDATE api_tokens SET name = '<script>alert(4)</script>' WHERE user_id = (SELECT id FROM users WHERE username = 'gone')"
            )
            let admin = try await AlertsPageTests.session(http, "root", .admin, on: db)
            let html = try await admin.get("/admin").text
            #expect(html.contains("data-live=\"all\""))
            let users = html.components(separatedBy: "<tr data-user=").dropFirst().map {
                $0.components(separatedBy: "</tr>")[0]
            }
            let kakheti = try #require(users.first { $0.hasPrefix("\"kakheti\"") })
            #expect(kakheti.contains("regional_manager"))
            #expect(kakheti.contains("<td>Kakheti</td>"))
            #expect(kakheti.contains("▲ active"))
            #expect(kakheti.contains("data-method=\"PATCH\" data-path=\"/api/v1/users/kakheti\""))
            #expect(kakheti.contains("data-body=\"{&quot;active&quot;:false}\""))
            let gone = try #require(users.first { $0.hasPrefix("\"gone\"") })
            #expect(gone.contains("– disabled"))
            #expect(gone.contains(">Enable</button>"))
            #expect(gone.contains("data-body=\"{&quot;active&quot;:true}\""))
            let root = try #require(users.first { $0.hasPrefix("\"root\"") })
            #expect(!root.contains("<button"), "an admin does not disable themself from here")
            #expect(html.contains("data-page-api=\"/api/v1/users\""))
            for role in ["viewer", "technician", "regional_manager", "admin"] {
                #expect(html.contains("<option value=\"\(role)\">"))
            }

            #expect(html.contains("&lt;script&gt;alert(4)&lt;/script&gt;"))
            #expect(!html.contains("<script>alert(4)"))
            let live = try await db.strings("SELECT id::text FROM api_tokens ORDER BY id")
            #expect(live.count == 3, "one token of each user")
            for id in live {
                #expect(html.contains("data-method=\"DELETE\" data-path=\"/api/v1/tokens/\(id)\""))
            }
            #expect(try await admin.send("DELETE", "/api/v1/tokens/\(live[0])").status == 204)
            let after = try await admin.get("/admin").text
            #expect(!after.contains("data-path=\"/api/v1/tokens/\(live[0])\""))
            let row = try #require(after.components(separatedBy: "<tr data-token=\"\(live[0])\"").dropFirst().first)
            #expect(row.contains("token-revoked"))
        }
    }

    @Test("the audit log: newest first, 50 a page, filtered by actor and action, escaped")
    func auditLog() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            let admin = try await AlertsPageTests.session(http, "root", .admin, on: db)
            try await db.execute(
                """
                INSERT INTO audit_log (actor, source, action, entity, entity_id, changes)
                SELECT CASE WHEN n % 2 = 0 THEN 'alice' ELSE 'bob' END, 'api',
                       CASE WHEN n % 3 = 0 THEN 'delete' ELSE 'update' END, 'device', 'dev-' || n,
                       jsonb_build_object('name', jsonb_build_object('before', '<b>' || n, 'after', 'x'))
                FROM generate_series(1, 60) AS n
                """)
            let first = try await admin.get("/admin?actor=alice").text
            let ids = Self.entityIDs(first)
            #expect(ids.count == 30 && ids.first == "dev-60" && ids.last == "dev-2")
            #expect(first.contains("&lt;b&gt;60"))
            #expect(!first.contains("<b>60"))
            let all = try await admin.get("/admin").text
            #expect(Self.entityIDs(all).count == 50)
            let link = try #require(
                all.components(separatedBy: "<a href=\"").dropFirst().first { $0.contains("rel=\"next\"") })
            let href = String(link.prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&")
            #expect(href.hasPrefix("/admin?before="))
            let second = Self.entityIDs(try await admin.get(href).text)
            #expect(second.count == 10 && second.first == "dev-10" && second.last == "dev-1")
            let deletes = Self.entityIDs(try await admin.get("/admin?actor=bob&action=delete").text)
            #expect(
                deletes == [
                    "dev-57", "dev-51", "dev-45", "dev-39", "dev-33", "dev-27", "dev-21", "dev-15", "dev-9", "dev-3",
                ])
            #expect(try await admin.get("/admin?before=zero").status == 400)
        }
    }

    /// The `dev-N` entity ids an admin page lists, in order.
    static func entityIDs(_ html: String) -> [String] {
        html.components(separatedBy: "<small class=\"muted\">dev-").dropFirst().map {
            "dev-" + $0.prefix { $0.isNumber }
        }
    }
}
