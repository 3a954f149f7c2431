import Foundation
import OutpostCollector
import OutpostStore
import OutpostTestSupport
import Testing

@testable import OutpostCollectorTestSupport

@Suite("Management API: API tokens and the audit log", .tags(.postgres), .needsPostgres)
struct APITokenTests {
    @Test("a token is shown once, stored hashed, listed with its last use, and stops at revocation")
    func lifecycle() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            let admin = try await OperatorAccounts.admin(http, on: db)
            _ = try await OperatorAccounts.add("grace", role: .technician, on: db)
            let created = try await admin.send(
                "POST", "/api/v1/tokens", json: ["name": "nightly", "username": "grace", "expires_in_days": 90])
            #expect(created.status == 201, "\(created.text)")
            let secret = try #require(try created.json()["secret"] as? String)
            #expect(secret.hasPrefix("opt_"))
            let id = try #require((try created.json()["token"] as? [String: Any])?["id"] as? String)
            #expect(
                try await db.integer("SELECT count(*) FROM api_tokens WHERE token_hash = sha256('\(secret)'::bytea)")
                    == 1)

            let grace = http.with(token: secret)
            #expect(try await grace.get("/api/v1/session").json()["username"] as? String == "grace")
            let listed = try await grace.get("/api/v1/tokens").list("tokens")
            #expect(listed.allSatisfy { $0["username"] as? String == "grace" })
            let nightly = try #require(listed.first { $0["id"] as? String == id })
            #expect(nightly["last_used_at"] is String)
            #expect(nightly["last_used_from"] as? String == "127.0.0.1")
            #expect(
                !String(decoding: try JSONSerialization.data(withJSONObject: listed), as: UTF8.self).contains(secret))

            // Names and addresses are shown on terminals: control characters are refused.
            let escape = try await grace.send("POST", "/api/v1/tokens", json: ["name": "ci\u{1B}[2J"])
            #expect(escape.status == 400)
            #expect(try escape.json()["field"] as? String == "name")
            let email = try await admin.send("PATCH", "/api/v1/users/grace", json: ["email": "g\u{7}@example.ge"])
            #expect(try email.json()["field"] as? String == "email")
            let forOthers = try await grace.send("POST", "/api/v1/tokens", json: ["name": "x", "username": "admin"])
            #expect(forOthers.status == 403)

            #expect(try await admin.send("DELETE", "/api/v1/tokens/\(id)").status == 204)
            #expect(try await grace.get("/api/v1/session").status == 401)
            #expect(try await admin.send("DELETE", "/api/v1/tokens/\(id)").status == 404)
        }
    }

    @Test("an expired token is refused")
    func expired() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            let account = try await OperatorAccounts.add("heidi", role: .viewer, on: db)
            #expect(try await http.with(token: account.token).get("/api/v1/session").status == 200)
            try await db.query(
                "UPDATE api_tokens SET created_at = now() - interval '2 days', expires_at = now() - interval '1 second'",
                logger: TestDatabase.logger)
            #expect(try await http.with(token: account.token).get("/api/v1/session").status == 401)
        }
    }

    @Test("changes are audited with who, when, from where and before/after; secrets masked")
    func audit() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            let admin = try await OperatorAccounts.admin(http, on: db)
            let created = try await admin.send(
                "POST", "/api/v1/users",
                json: [
                    "username": "ivan", "role": "regional_manager", "regions": ["Kakheti"],
                    "password": "a long enough password",
                ])
            #expect(created.status == 201, "\(created.text)")
            let changed = try await admin.send(
                "PATCH", "/api/v1/users/ivan", json: ["regions": ["Kakheti", "Imereti"]])
            #expect(changed.status == 200, "\(changed.text)")
            let entries =
                try await admin.get("/api/v1/audit?entity=user&entity_id=ivan").json()["entries"]
                as? [[String: Any]]
            let log = try #require(entries)
            #expect(log.map { $0["action"] as? String } == ["update", "create"])
            #expect(log.allSatisfy { $0["actor"] as? String == "admin" && $0["source"] as? String == "http 127.0.0.1" })
            let creation = try #require(log.last?["changes"] as? [String: Any])
            #expect((creation["password"] as? [String: Any])?["after"] as? String == "********")
            let update = try #require(log.first?["changes"] as? [String: Any])
            #expect(Set(update.keys) == ["regions"])
            #expect((update["regions"] as? [String: Any])?["before"] as? [String] == ["Kakheti"])
            #expect(
                !(try await db.strings("SELECT changes::text FROM audit_log")).contains { $0.contains("long enough") })

            let rows = try await db.integer("SELECT count(*) FROM audit_log")
            await #expect(throws: (any Error).self) { try await db.execute("DELETE FROM audit_log") }
            await #expect(throws: (any Error).self) { try await db.execute("UPDATE audit_log SET actor = 'x'") }
            #expect(try await db.integer("SELECT count(*) FROM audit_log") == rows, "the log is append-only")

            let page = try await admin.get("/api/v1/audit?limit=1").json()
            let before = try #require(page["next_before"] as? Int)
            let next =
                try await admin.get("/api/v1/audit?limit=1&before=\(before)").json()["entries"] as? [[String: Any]]
            #expect((next?.first?["id"] as? Int).map { $0 < before } == true)
            #expect(try await admin.get("/api/v1/audit?limit=0").status == 400)
            #expect(try await admin.get("/api/v1/audit?since=yesterday").json()["field"] as? String == "since")
        }
    }
}
