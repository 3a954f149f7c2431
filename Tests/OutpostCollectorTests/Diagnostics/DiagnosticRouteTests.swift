import Foundation
import OutpostCollector
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostCollectorTestSupport

@Suite("Management API: diagnostics", .tags(.postgres), .needsPostgres)
struct DiagnosticRouteTests {
    @Test("a traceroute is requested by device name, listed on the device, cancelled; bad input costs only its request")
    func lifecycle() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            let admin = try await OperatorAccounts.admin(http, on: db)
            let branch = try await Fixture.branch("gori-1", on: db)
            let device = try await Fixture.device("gori-isp", ip: "10.44.0.1", branch: branch, on: db)
            let technician = http.with(token: try await OperatorAccounts.add("tech", role: .technician, on: db).token)

            let created = try await technician.send(
                "POST", "/api/v1/diagnostics/traceroute", json: ["device": "gori-isp", "protocol": "udp"])
            #expect(created.status == 202, "\(created.text)")
            let jobID = try #require(try created.json()["job_id"] as? String)
            let job = try await technician.get("/api/v1/diagnostics/jobs/\(jobID)").json()
            #expect(job["status"] as? String == "pending" && job["kind"] as? String == "traceroute")
            #expect(job["protocol"] as? String == "udp" && job["trigger"] as? String == "api")
            #expect(job["target"] as? String == "10.44.0.1" && job["device"] as? String == "gori-isp")

            let mtr = try await admin.send(
                "POST", "/api/v1/diagnostics/mtr", json: ["device": "10.44.0.1", "cycles": 5])
            #expect(mtr.status == 202, "\(mtr.text)")
            let traces = try await technician.get("/api/v1/devices/\(device.uuidString)/traces").list("traces")
            #expect(traces.map { $0["kind"] as? String } == ["mtr", "traceroute"], "newest first")
            #expect(traces.last?["hops"] as? [Any] != nil)

            let cancelled = try await technician.send("POST", "/api/v1/diagnostics/jobs/\(jobID)/cancel")
            #expect(try cancelled.json()["status"] as? String == "cancelled")
            #expect(try await technician.send("POST", "/api/v1/diagnostics/jobs/\(jobID)/cancel").status == 409)

            for body: [String: Any] in [
                ["device": "gori-isp", "protocol": "gopher"], ["device": "gori-isp", "port": 0],
                ["device": "gori-isp", "cycles": 101], ["device": "gori-isp", "surprise": true],
            ] {
                #expect(
                    try await technician.send("POST", "/api/v1/diagnostics/mtr", json: body).status == 400, "\(body)")
            }
            #expect(
                try await technician.send("POST", "/api/v1/diagnostics/traceroute", json: ["device": "nowhere"]).status
                    == 404)
            #expect(try await technician.get("/api/v1/diagnostics/jobs/\(UUID().uuidString)").status == 404)
            #expect(try await technician.get("/api/v1/devices/\(UUID().uuidString)/traces").status == 404)
            #expect(try await technician.get("/api/v1/devices/\(device.uuidString)/traces?limit=0").status == 400)
            let audit = try await db.strings(
                "SELECT entity || ' ' || action || ' ' || actor FROM audit_log WHERE entity = 'diagnostic_job' ORDER BY id"
            )
            #expect(
                audit == ["diagnostic_job run tech", "diagnostic_job run admin", "diagnostic_job cancel tech"])
            let viewer = http.with(token: try await OperatorAccounts.add("view", role: .viewer, on: db).token)
            #expect(
                try await viewer.send("POST", "/api/v1/diagnostics/traceroute", json: ["device": "gori-isp"]).status
                    == 403)
        }
    }

    @Test("resolve reaches the job; a rule's trace action is written, shown and removed; bad values cost their request")
    func resolveAndTraceAction() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            let admin = try await OperatorAccounts.admin(http, on: db)
            let branch = try await Fixture.branch("poti-1", on: db)
            try await Fixture.device("poti-isp", ip: "10.45.0.1", branch: branch, on: db)
            let created = try await admin.send(
                "POST", "/api/v1/diagnostics/mtr", json: ["device": "poti-isp", "cycles": 2, "resolve": true])
            #expect(created.status == 202, "\(created.text)")
            let jobID = try #require(try created.json()["job_id"] as? String)
            #expect(try await admin.get("/api/v1/diagnostics/jobs/\(jobID)").json()["resolve"] as? Bool == true)
            #expect(
                try await db.strings("SELECT resolve_names::text FROM diagnostic_jobs WHERE id = '\(jobID)'") == [
                    "true"
                ])
            let plain = try await admin.send("POST", "/api/v1/diagnostics/traceroute", json: ["device": "poti-isp"])
            let plainID = try #require(try plain.json()["job_id"] as? String)
            #expect(try await admin.get("/api/v1/diagnostics/jobs/\(plainID)").json()["resolve"] as? Bool == false)
            #expect(
                try await admin.send(
                    "POST", "/api/v1/diagnostics/traceroute", json: ["device": "poti-isp", "resolve": "yes"]
                ).status == 400)

            let rule = try await admin.send(
                "POST", "/api/v1/rules",
                json: [
                    "name": "path", "expression": "path_changed AND packet_loss > 5%", "severity": "warning",
                    "webhooks": ["http://127.0.0.1:9/hook"], "trace": true,
                ])
            #expect(rule.status == 201, "\(rule.text)")
            #expect(try rule.json()["trace"] as? Bool == true)
            let id = try #require(try rule.json()["id"] as? String)
            let channels = "SELECT notification_channels::text FROM alert_rules WHERE id = '\(id)'"
            #expect(try await db.strings(channels).first?.contains(#""type": "trace""#) == true)
            let untraced = try await admin.send("PATCH", "/api/v1/rules/\(id)", json: ["trace": false])
            #expect(untraced.status == 200, "\(untraced.text)")
            #expect(try untraced.json()["trace"] as? Bool == false)
            #expect(try untraced.json()["webhooks"] as? [String] == ["http://127.0.0.1:9/hook"])
            #expect(try await db.strings(channels).first?.contains("trace") == false)
            #expect(try await admin.send("PATCH", "/api/v1/rules/\(id)", json: ["trace": 1]).status == 400)
            #expect(
                try await db.strings(
                    "SELECT action FROM audit_log WHERE entity = 'alert_rule' ORDER BY id") == ["create", "update"])
        }
    }
}
