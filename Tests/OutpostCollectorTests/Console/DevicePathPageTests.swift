import Foundation
import OutpostCore
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostCollectorTestSupport

/// The device page's path section over real HTTP: the last finished trace with its hops as the
/// agent reported them, and the trace buttons for the roles that may run jobs.
@Suite("Console: the device page's last path", .tags(.postgres), .needsPostgres)
struct DevicePathPageTests {
    @Test("the last completed trace is listed hop by hop, a silent hop as *; viewers get no trace button")
    func lastTrace() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            let id = try await DevicePageTests.seed(db)
            let device = try #require(UUID(uuidString: id))
            let viewer = http.with(token: try await OperatorAccounts.add("eve", role: .viewer, on: db).token)
            let technician = http.with(token: try await OperatorAccounts.add("tom", role: .technician, on: db).token)

            let before = try await technician.get("/devices/\(id)").text
            #expect(before.contains("No trace yet"))
            #expect(before.contains("data-path=\"/api/v1/diagnostics/traceroute\""))
            #expect(!(try await viewer.get("/devices/\(id)").text.contains("/api/v1/diagnostics/")))

            let agent = AgentID(UUID())
            try await db.query(
                """
                INSERT INTO agents (id, branch_id, public_key, cert_serial, cert_not_after)
                SELECT \(agent.uuid), branch_id, '\\x04'::bytea, \(agent.description), now() + interval '1 day'
                FROM standalone_devices WHERE id = \(device)
                """, logger: TestDatabase.logger)
            let store = DiagnosticJobStore(logger: TestDatabase.logger)
            let job = try await store.create(
                device: device, try DiagnosticRequest(kind: .traceroute, trigger: .manual), on: db)
            #expect(try await store.claimPending(for: [agent], on: db).map(\.jobID) == [job])
            let path: [String?] = ["10.0.0.1", nil, "10.77.0.9"]
            let report = DiagnosticReport(
                target: "10.77.0.9", probeProtocol: "icmp", startedAt: Date(), ending: "reached", cycles: 1,
                probesSent: 9,
                hops: path.enumerated().map { index, address in
                    DiagnosticReport.Hop(
                        number: index + 1, responder: address, hostname: index == 2 ? "pe1.magti.example" : nil,
                        sent: 3, received: address == nil ? 0 : 3,
                        rttsMilliseconds: address == nil ? [] : [2.5, 3.5, 4.5],
                        averageMilliseconds: address == nil ? nil : 3.5,
                        reply: address == nil ? nil : "time-exceeded")
                })
            #expect(
                try await store.finish(
                    job, agent: agent, status: .completed, report: try report.validated(), detail: nil, on: db))

            let page = try await viewer.get("/devices/\(id)").text
            let table = try #require(page.firstMatch(of: /<table class="grid" id="device-path"[\s\S]*?<\/table>/))
            // Number and address of each hop; a name, when resolved, follows the address.
            let hop = /<tr[^>]*><td>(\d+)<\/td><td>([^<]+)(?:<small>[^<]*<\/small>)?<\/td>/
            let rows = String(table.0).matches(of: hop).map { "\($0.1) \($0.2)" }
            #expect(rows == ["1 10.0.0.1", "2 *", "3 10.77.0.9 "])
            #expect(
                table.0.contains("<td>10.77.0.9 <small>pe1.magti.example</small></td>"), "the name beside the address")
            #expect(table.0.contains("traceroute"))
            #expect(table.0.contains("trigger: manual"))
            #expect(table.0.contains("2.5 ms") && table.0.contains("4.5 ms"))
            #expect(!page.contains("No trace yet"))
        }
    }
}
