import Foundation
import OutpostCore
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@Suite("Diagnostic jobs: claiming, reports, path changes, down traces", .tags(.postgres), .needsPostgres)
struct DiagnosticJobStoreTests {
    static let logger = TestDatabase.logger

    /// A branch with one agent and `devices` devices.
    static func branch(devices: Int, on db: PostgresConnection) async throws -> (AgentID, [UUID]) {
        let branch = try await Fixture.branch("b-\(UUID().uuidString.prefix(8))", on: db)
        let agent = AgentID(UUID())
        try await db.query(
            """
            INSERT INTO agents (id, branch_id, public_key, cert_serial, cert_not_after)
            VALUES (\(agent.uuid), \(branch), '\\x04'::bytea, \(agent.description), now() + interval '1 day')
            """, logger: logger)
        var ids: [UUID] = []
        for index in 0..<devices {
            ids.append(try await Fixture.device("d\(index)-\(branch)", ip: "10.9.\(index).1", branch: branch, on: db))
        }
        return (agent, ids)
    }

    static func report(_ path: [String?], rtt: Double = 1.5) -> DiagnosticReport {
        DiagnosticReport(
            target: "10.9.0.1", probeProtocol: "icmp", startedAt: Date(), ending: "reached", cycles: 1,
            probesSent: path.count * 3,
            hops: path.enumerated().map { index, address in
                DiagnosticReport.Hop(
                    number: index + 1, responder: address, sent: 3, received: address == nil ? 0 : 3,
                    rttsMilliseconds: address == nil ? [] : [rtt, rtt, rtt],
                    averageMilliseconds: address == nil ? nil : rtt,
                    reply: address == nil ? nil : "time-exceeded")
            })
    }

    @Test func claimedJobsCompleteWithHopsAndPathChanges() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let (agent, devices) = try await Self.branch(devices: 1, on: db)
            let store = DiagnosticJobStore(logger: Self.logger)
            #expect(try await store.device(devices[0].uuidString, on: db) == devices[0])
            #expect(try await store.device("10.9.0.1", on: db) == devices[0])
            await #expect(throws: DiagnosticStoreError.self) { try await store.device("nope", on: db) }

            let paths: [[String?]] = [
                ["10.0.0.1", nil, "10.9.0.1"], ["10.0.0.1", "10.0.0.2", "10.9.0.1"],
                ["10.0.0.7", "10.0.0.2", "10.9.0.1"],
            ]
            var changes: [Bool?] = []
            for path in paths {
                let job = try await store.create(
                    device: devices[0], try DiagnosticRequest(kind: .traceroute, trigger: .manual), on: db)
                let claimed = try await store.claimPending(for: [agent], on: db)
                #expect(claimed.map(\.jobID) == [job])
                #expect(claimed.first?.targetIP == "10.9.0.1")
                #expect(try await store.recordProgress(job, agent: agent, completed: 0, total: 1, on: db))
                #expect(
                    try await store.finish(
                        job, agent: agent, status: .completed, report: Self.report(path).validated(), detail: nil,
                        on: db))
                #expect(
                    try await !store.finish(
                        job, agent: agent, status: .completed, report: Self.report(path), detail: nil, on: db),
                    "a job ends once")
                let record = try #require(try await store.job(job, on: db))
                #expect(record.path == path)
                changes.append(record.pathChanged)
                let hops = try await store.hops(of: record, on: db)
                #expect(hops.map(\.address) == path)
                #expect(hops.map(\.rttsMilliseconds.count) == path.map { $0 == nil ? 0 : 3 })
            }
            // A silent hop that answers later is loss, not a change; another responder is.
            #expect(changes == [nil, false, true])
        }
    }

    @Test func downDevicesGetOneTraceEachAtMostFivePerBranchPerMinute() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let (_, devices) = try await Self.branch(devices: 8, on: db)
            let (_, other) = try await Self.branch(devices: 1, on: db)
            try await db.query(
                "UPDATE standalone_devices SET down_since = now() - interval '1 minute' WHERE id = ANY(\(devices + other)::uuid[])",
                logger: Self.logger)
            let store = DiagnosticJobStore(logger: Self.logger)
            #expect(try await store.createDownTriggered(on: db).count == 6, "5 of the outage's branch, 1 of the other")
            #expect(try await store.createDownTriggered(on: db).isEmpty, "the branch's budget is spent for this minute")
            #expect(
                try await db.query(
                    "SELECT count(DISTINCT device_id)::integer FROM diagnostic_jobs WHERE trigger = 'down'",
                    logger: Self.logger
                ).collect().first?.decode(Int.self) == 6)
        }
    }

    @Test func pendingJobsOfABranchWithoutAgentFailWithTheReason() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let (_, devices) = try await Self.branch(devices: 1, on: db)
            let store = DiagnosticJobStore(logger: Self.logger)
            let job = try await store.create(
                device: devices[0], try DiagnosticRequest(kind: .mtr, cycles: 5, trigger: .manual), on: db)
            #expect(try await store.failUndispatchable(olderThan: 0, on: db) == [job])
            let record = try #require(try await store.job(job, on: db))
            #expect(record.status == .failed)
            #expect(record.detail?.hasPrefix("no agent of branch b-") == true)
            await #expect(throws: DiagnosticStoreError.jobFinished(job.uuidString.lowercased())) {
                try await store.requestCancel(job, by: .commandLine(), on: db)
            }
        }
    }
}
