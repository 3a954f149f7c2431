import Foundation
import OutpostTestSupport
import Testing

@testable import OutpostCollectorTestSupport

/// `outpost-collector user …`, `api-token …` and `audit list`, run as the real binary, and what
/// they create used over HTTP.
@Suite("Operator commands: user, api-token, audit", .tags(.postgres), .needsPostgres)
struct OperatorCommandTests {
    @Test("a user added with the password on stdin logs in; a token it is given works until revoked; all audited")
    func usersAndTokens() async throws {
        try await TestDatabase.withMigrated { db, database in
            let url =
                "postgres://\(database.url.username)@\(database.url.host):\(database.url.port)/\(database.url.database)"
            let collector = try BuiltProduct.collector
            @Sendable func run(_ arguments: [String], password: String? = nil) async throws -> Command.Output {
                // The password goes through the environment to printf, never on the command's argv.
                try await Command.run(
                    "/bin/sh",
                    ["-c", #"printf '%s\n' "$PW" | "$0" "$@""#, collector] + arguments + ["--database-url", url],
                    environment: ["PW": password ?? ""])
            }
            let added = try await run(
                [
                    "user", "add", "nino", "--role", "regional_manager", "--region", "Kakheti", "--email",
                    "nino@example.ge",
                ],
                password: "a long password for nino")
            #expect(added.status == 0, "\(added.combined)")
            #expect(added.standardOutput.contains("user nino added (regional_manager; regions Kakheti)"))
            let hash = try await db.strings("SELECT hashed_password FROM users WHERE username = 'nino'")
            #expect(hash.first?.hasPrefix("$2b$12$") == true)

            let short = try await run(["user", "add", "short", "--role", "viewer"], password: "short")
            #expect(short.status != 0)
            #expect(short.standardError.contains("at least 12 characters"))
            let managerWithoutRegion = try await run(
                ["user", "add", "m", "--role", "regional_manager"], password: "a long password here")
            #expect(
                managerWithoutRegion.standardError.contains("regions: a regional manager needs at least one region"))

            let created = try await run(["api-token", "create", "--user", "nino", "--name", "ci", "--expires", "90d"])
            #expect(created.status == 0, "\(created.combined)")
            let token = created.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(token.hasPrefix("opt_"))
            try await OperatorHTTPFixture().withServer(database: database.url) { http in
                let me = try await http.with(token: token).get("/api/v1/session")
                #expect(try me.json()["username"] as? String == "nino")
                let listed = try await run(["api-token", "list", "--user", "nino"])
                #expect(listed.standardOutput.contains("from 127.0.0.1"), "\(listed.standardOutput)")
                let id = try await db.strings("SELECT id::text FROM api_tokens")
                #expect(try await run(["api-token", "revoke", id[0]]).status == 0)
                #expect(try await http.with(token: token).get("/api/v1/session").status == 401)

                #expect(try await run(["user", "disable", "nino"]).status == 0)
                let login = try await http.send(
                    "POST", "/api/v1/session", json: ["username": "nino", "password": "a long password for nino"])
                #expect(login.status == 401)
                #expect(try await run(["user", "enable", "nino"]).status == 0)
                let again = try await http.send(
                    "POST", "/api/v1/session", json: ["username": "nino", "password": "a long password for nino"])
                #expect(again.status == 200, "\(again.text)")
            }
            let audit = try await run(["audit", "list", "--entity", "user"])
            #expect(audit.status == 0)
            let lines = audit.standardOutput.split(separator: "\n").filter { $0.contains("cli:") }
            #expect(lines.count == 3, "create, disable, enable: \(audit.standardOutput)")
            #expect(!audit.standardOutput.contains("a long password"))
            #expect(
                try await db.integer("SELECT count(*) FROM audit_log WHERE changes::text LIKE '%long password%'") == 0)
        }
    }
}
