import Foundation
import OutpostCollector
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostCollectorTestSupport

@Suite("Management API: login sessions, CSRF, brute force", .tags(.postgres), .needsPostgres)
struct LoginSessionTests {
    /// Logs `username` in; the client carrying the session cookie and CSRF token, and the reply.
    static func login(_ http: HTTPTestClient, _ username: String, password: String = OperatorAccounts.password)
        async throws -> (HTTPTestClient, HTTPTestClient.Reply)
    {
        let reply = try await http.send("POST", "/api/v1/session", json: ["username": username, "password": password])
        var client = http
        if let cookie = reply.header("set-cookie"), let value = cookie.split(separator: ";").first {
            client.sessionCookie = String(value.dropFirst("outpost_session=".count))
        }
        client.csrfToken = try? reply.json()["csrf_token"] as? String
        return (client, reply)
    }

    @Test("login sets an HttpOnly SameSite=Strict cookie; state changes need the CSRF token; logout ends it")
    func sessionAndCSRF() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            _ = try await OperatorAccounts.add("alice", role: .admin, on: db)
            let (session, reply) = try await Self.login(http, "alice")
            #expect(reply.status == 200, "\(reply.text)")
            let cookie = try #require(reply.header("set-cookie"))
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            #expect(cookie.contains("Path=/"))
            #expect(!cookie.contains("Secure"), "plain HTTP: no Secure flag")
            #expect(try reply.json()["role"] as? String == "admin")
            #expect(try await session.get("/api/v1/session").json()["username"] as? String == "alice")

            let body: [String: Any] = ["name": "ci", "expires_in_days": 1]
            var withoutCSRF = session
            withoutCSRF.csrfToken = nil
            let refused = try await withoutCSRF.send("POST", "/api/v1/tokens", json: body)
            #expect(refused.status == 403)
            #expect((try refused.json()["error"] as? String)?.contains("CSRF") == true)
            var wrongCSRF = session
            wrongCSRF.csrfToken = "not-the-token"
            #expect(try await wrongCSRF.send("POST", "/api/v1/tokens", json: body).status == 403)
            #expect(try await session.send("POST", "/api/v1/tokens", json: body).status == 201)

            let crossOrigin = try await session.send(
                "POST", "/api/v1/tokens", json: ["name": "evil"], headers: ["Origin": "http://evil.example"])
            #expect(crossOrigin.status == 403)
            #expect(try await db.integer("SELECT count(*) FROM api_tokens WHERE name = 'evil'") == 0)

            #expect(try await session.send("DELETE", "/api/v1/session").status == 204)
            #expect(try await session.get("/api/v1/session").status == 401)
            let actions = try await db.strings(
                "SELECT action FROM audit_log WHERE entity = 'session' AND actor = 'alice' ORDER BY id")
            #expect(actions == ["login", "logout"])
        }
    }

    @Test("a wrong password, an unknown user and a disabled user all get the same 401")
    func refusedLogins() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            _ = try await OperatorAccounts.add("bob", role: .viewer, on: db)
            let wrong = try await Self.login(http, "bob", password: "not the password at all").1
            let unknown = try await Self.login(http, "nobody").1
            #expect(wrong.status == 401)
            #expect(unknown.status == 401)
            #expect(try wrong.json()["error"] as? String == unknown.json()["error"] as? String)
            #expect(wrong.header("set-cookie") == nil)
            #expect(try await db.integer("SELECT failed_logins FROM users WHERE username = 'bob'") == 1)
            #expect(
                try await db.integer("SELECT count(*) FROM audit_log WHERE action = 'login_failed'") == 2)
            let hostile = try await Self.login(http, "bob\u{1B}[2J\nroot", password: "not the password at all").1
            #expect(hostile.status == 401)
            #expect(
                try await db.strings("SELECT actor FROM audit_log WHERE action = 'login_failed' ORDER BY id")
                    == ["bob", "nobody", "(malformed username)"])
        }
    }

    @Test("disabling a user ends their session and stops their token at once")
    func disabledUser() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            let admin = try await OperatorAccounts.admin(http, on: db)
            let carol = try await OperatorAccounts.add("carol", role: .technician, on: db)
            let (session, _) = try await Self.login(http, "carol")
            #expect(try await session.get("/api/v1/session").status == 200)
            #expect(try await http.with(token: carol.token).get("/api/v1/session").status == 200)
            let disabled = try await admin.send("PATCH", "/api/v1/users/carol", json: ["active": false])
            #expect(disabled.status == 200, "\(disabled.text)")
            #expect(try disabled.json()["is_active"] as? Bool == false)
            #expect(try await session.get("/api/v1/session").status == 401)
            #expect(try await http.with(token: carol.token).get("/api/v1/session").status == 401)
            #expect(try await Self.login(http, "carol").1.status == 401)
        }
    }

    @Test("an idle session expires; so does one past its absolute lifetime")
    func expiry() async throws {
        let fixture = OperatorHTTPFixture()
        try await TestDatabase.withMigrated { db, database in
            _ = try await OperatorAccounts.add("dave", role: .viewer, on: db)
            try await fixture.withServer(database: database.url, configure: { $0.sessionIdleTimeout = .seconds(600) }) {
                http in
                let (session, _) = try await Self.login(http, "dave")
                // Each request restarts the idle timer: 9 minutes ago is still alive, 11 is not.
                try await db.execute("UPDATE user_sessions SET last_seen_at = now() - interval '9 minutes'")
                #expect(try await session.get("/api/v1/session").status == 200)
                #expect(
                    try await db.integer(
                        "SELECT count(*) FROM user_sessions WHERE last_seen_at > now() - interval '1 minute'") == 1)
                try await db.execute("UPDATE user_sessions SET last_seen_at = now() - interval '11 minutes'")
                #expect(try await session.get("/api/v1/session").status == 401)
            }
            try await fixture.withServer(database: database.url, configure: { $0.sessionLifetime = .seconds(2) }) {
                http in
                let (session, reply) = try await Self.login(http, "dave")
                #expect(reply.header("set-cookie")?.contains("Max-Age=2") == true)
                let expired = try await eventually(within: .seconds(20)) {
                    try await session.get("/api/v1/session").status == 401
                }
                #expect(expired)
            }
        }
    }

    @Test("after five failures in a row, a user's logins wait, whatever the password, then succeed")
    func bruteForceDelay() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            _ = try await OperatorAccounts.add("erin", role: .viewer, on: db)
            for _ in 0..<5 {
                #expect(try await Self.login(http, "erin", password: "guess guess guess").1.status == 401)
            }
            #expect(try await db.integer("SELECT failed_logins FROM users WHERE username = 'erin'") == 5)
            // Ten failures, the last just now: 2^5 = 32 s to wait, whatever the password (set in
            // the database, so that a slow machine cannot outwait the delay between two requests).
            try await db.execute(
                "UPDATE users SET failed_logins = 10, last_failed_login = now() WHERE username = 'erin'")
            let delayed = try await Self.login(http, "erin").1
            #expect(delayed.status == 429)
            let retryAfter = try #require(delayed.header("retry-after").flatMap(Int.init))
            #expect((25...32).contains(retryAfter), "Retry-After \(retryAfter)")
            #expect(try await db.integer("SELECT failed_logins FROM users WHERE username = 'erin'") == 10)
            // Once the delay has passed, the right password gets in and the count starts again.
            try await db.execute(
                "UPDATE users SET last_failed_login = now() - interval '33 seconds' WHERE username = 'erin'")
            #expect(try await Self.login(http, "erin").1.status == 200)
            #expect(try await db.integer("SELECT failed_logins FROM users WHERE username = 'erin'") == 0)
        }
    }

    @Test("one source address gets ten failures, then is refused for every user")
    func perSourceLimit() async throws {
        try await TestDatabase.withMigrated { db, database in
            _ = try await OperatorAccounts.add("frank", role: .viewer, on: db)
            // A token back only every 100 minutes, so a slow machine cannot earn one mid-test.
            try await OperatorHTTPFixture().withServer(
                database: database.url, configure: { $0.loginFailuresPerSource = (10, 0.01) }
            ) { http in
                for index in 0..<10 {
                    #expect(try await Self.login(http, "user\(index)").1.status == 401)
                }
                let refused = try await Self.login(http, "frank").1
                #expect(refused.status == 429)
                #expect(refused.header("retry-after") == "60")
            }
        }
    }

    @Test("sessions that ended or expired over a day ago are deleted by the maintenance round")
    func purge() async throws {
        try await TestDatabase.withMigrated { db, database in
            _ = try await OperatorAccounts.add("old", role: .viewer, on: db)
            try await db.execute(
                """
                INSERT INTO user_sessions (id_hash, user_id, csrf_hash, created_at, last_seen_at, expires_at, ended_at)
                SELECT sha256(v::bytea), u.id, sha256(v::bytea), now() - interval '3 days', now() - interval '3 days',
                       now() - interval '2 days' + e * interval '3 days', CASE WHEN v = 'ended' THEN now() - interval '2 days' END
                FROM users u, (VALUES ('expired', 0), ('ended', 1), ('live', 1)) AS s(v, e)
                """)
            let client = PostgresClient(
                configuration: database.url.clientConfiguration, backgroundLogger: TestDatabase.logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                defer { group.cancelAll() }
                try await PartitionMaintainer(client: client, retentionDays: 30, logger: TestDatabase.logger).runOnce()
            }
            #expect(try await db.integer("SELECT count(*) FROM user_sessions") == 1)
        }
    }
}
