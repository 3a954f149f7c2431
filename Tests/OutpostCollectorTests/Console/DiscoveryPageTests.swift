import Foundation
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostCollectorTestSupport

@Suite("Console: the discovery page", .tags(.postgres), .needsPostgres)
struct DiscoveryPageTests {
    /// Rules "telavi lan" (Kakheti) and one named like a script (Imereti), through the API; the
    /// ids of the rules, by name.
    static func seed(_ db: PostgresConnection, _ http: HTTPTestClient) async throws -> [String: String] {
        try await db.execute(
            "INSERT INTO branches (name, display_name, region) VALUES ('telavi', 'Telavi', 'Kakheti'), ('kutaisi', 'Kutaisi', 'Imereti')"
        )
        let admin = try await OperatorAccounts.admin(http, on: db)
        var ids: [String: String] = [:]
        for (name, range, branch, schedule) in [
            ("telavi lan", "10.7.0.0/24", "telavi", "0 3 * * *"),
            ("<script>alert(3)</script>", "10.8.0.0/24", "kutaisi", nil),
        ] {
            var body: [String: Any] = ["name": name, "ranges": [range], "branch": branch, "ping_only": true]
            body["schedule"] = schedule
            let added = try await admin.send("POST", "/api/v1/discovery/rules", json: body)
            #expect(added.status == 201, "\(added.text)")
            ids[name] = try #require(try added.json()["id"] as? String)
        }
        return ids
    }

    @Test("a viewer sees rules and jobs, escaped, and no run or cancel button; the page polls while a job runs")
    func viewer() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            let rules = try await Self.seed(db, http)
            let viewer = try await AlertsPageTests.session(http, "vera", .viewer, on: db)
            var html = try await viewer.get("/discovery").text
            #expect(html.contains("data-live=\"all\""))
            #expect(html.contains(">telavi lan<"))
            #expect(html.contains("10.7.0.0/24"))
            #expect(html.contains("0 3 * * *"))
            #expect(html.contains("on demand"))
            #expect(html.contains("&lt;script&gt;alert(3)&lt;/script&gt;"))
            #expect(!html.contains("<script>alert(3)"))
            #expect(html.contains("No discovery jobs yet."))
            #expect(!html.contains("data-poll"), "nothing in progress: no polling")

            let technician = try await AlertsPageTests.session(http, "tech", .technician, on: db)
            let ruleID = try #require(rules["telavi lan"])
            let run = try await technician.send("POST", "/api/v1/discovery/rules/\(ruleID)/run")
            #expect(run.status == 202, "\(run.text)")
            let jobID = try #require(try run.json()["job_id"] as? String)
            try await db.execute(
                "UPDATE discovery_jobs SET status = 'running', total_ips = 256, scanned_ips = 64, discovered_devices = 3"
            )
            html = try await viewer.get("/discovery").text
            #expect(html.contains("data-poll=\"2\""))
            #expect(html.contains("<script src=\"/static/pages.js\" defer></script>"))
            let row = try #require(html.components(separatedBy: "<tr data-job=\"\(jobID)\"").dropFirst().first)
            #expect(row.contains("job-running"))
            #expect(row.contains("value=\"25\""))
            #expect(row.contains("64 of 256 addresses"))
            #expect(row.contains("<td>3<br>"))
            #expect(!html.contains("/run\""))
            #expect(!html.contains("/cancel\""))

            try await db.execute(
                "UPDATE discovery_jobs SET status = 'completed', scanned_ips = 256, completed_at = now()")
            html = try await viewer.get("/discovery").text
            #expect(!html.contains("data-poll"), "the job ended: no more polling")
            #expect(html.contains("job-completed"))
        }
    }

    @Test("a technician gets Run now and Cancel; a regional manager sees and runs their region's rules only")
    func controls() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            let rules = try await Self.seed(db, http)
            let telavi = try #require(rules["telavi lan"])
            let script = try #require(rules["<script>alert(3)</script>"])
            let technician = try await AlertsPageTests.session(http, "tech", .technician, on: db)
            var html = try await technician.get("/discovery").text
            #expect(html.contains("data-path=\"/api/v1/discovery/rules/\(telavi)/run\""))
            #expect(html.contains("data-path=\"/api/v1/discovery/rules/\(script)/run\""))
            let jobID = try #require(
                try await technician.send("POST", "/api/v1/discovery/rules/\(telavi)/run").json()["job_id"] as? String)
            html = try await technician.get("/discovery").text
            #expect(html.contains("data-path=\"/api/v1/discovery/jobs/\(jobID)/cancel\""))

            let manager = try await AlertsPageTests.session(
                http, "kakheti", .regionalManager, regions: ["Kakheti"], on: db)
            html = try await manager.get("/discovery").text
            #expect(html.contains("data-path=\"/api/v1/discovery/rules/\(telavi)/run\""))
            #expect(!html.contains(script))
            #expect(!html.contains("alert(3)"))
            #expect(html.contains("data-job=\"\(jobID)\""))
        }
    }
}
