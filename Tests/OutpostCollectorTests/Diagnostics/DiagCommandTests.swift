import Foundation
import OutpostCore
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

/// `outpost-collector diag … --resolve`, run as the real binary: the flag reaches the job, and
/// `diag show` prints the names the agent resolved in the NAME column.
@Suite("outpost-collector diag: resolved names", .tags(.postgres), .needsPostgres)
struct DiagCommandTests {
    @Test("diag mtr --resolve asks the agent for names; diag show prints them in the NAME column")
    func resolvedNamesShown() async throws {
        try await TestDatabase.withMigrated { db, database in
            let url =
                "postgres://\(database.url.username)@\(database.url.host):\(database.url.port)/\(database.url.database)"
            let branch = try await Fixture.branch("zugdidi-1", on: db)
            let agent = AgentID.random()
            try await Fixture.agent(agent.uuid, serial: agent.description, branch: branch, on: db)
            try await Fixture.device("zugdidi-isp", ip: "10.46.0.1", branch: branch, on: db)
            let created = try await Command.output(
                try BuiltProduct.collector,
                ["diag", "mtr", "zugdidi-isp", "--cycles", "2", "--resolve", "--database-url", url])
            let job = try #require(UUID(uuidString: created.trimmingCharacters(in: .whitespacesAndNewlines)))
            let store = DiagnosticJobStore(logger: TestDatabase.logger)
            let claimed = try #require(try await store.claimPending(for: [agent], on: db).first)
            #expect(claimed.jobID == job && claimed.resolveNames && claimed.cycles == 2)

            let report = DiagnosticReport(
                target: "10.46.0.1", probeProtocol: "icmp", startedAt: Date(), ending: "reached", cycles: 2,
                probesSent: 4,
                hops: [
                    DiagnosticReport.Hop(
                        number: 1, responder: "127.0.0.1", hostname: "localhost", sent: 2, received: 2,
                        rttsMilliseconds: [], averageMilliseconds: 0.1, reply: "time-exceeded"),
                    DiagnosticReport.Hop(
                        number: 2, responder: "10.46.0.1", sent: 2, received: 2, rttsMilliseconds: [],
                        averageMilliseconds: 0.3, reply: "echo-reply"),
                ])
            #expect(
                try await store.finish(
                    job, agent: agent, status: .completed, report: report.validated(), detail: nil, on: db))
            let shown = try await Command.output(
                try BuiltProduct.collector, ["diag", "show", job.uuidString, "--database-url", url])
            let lines = shown.split(separator: "\n").map(String.init)
            let header = try #require(lines.first { $0.hasPrefix("HOP") })
            #expect(header.contains("NAME"), "\(shown)")
            #expect(lines.contains { $0.contains("127.0.0.1") && $0.contains("localhost") }, "\(shown)")
            #expect(lines.contains { $0.contains("10.46.0.1") && !$0.contains("localhost") }, "\(shown)")
        }
    }
}
