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

    /// An `alert_history` row of a new rule for `device`; returns its id.
    static func alert(for device: UUID, on db: PostgresConnection) async throws -> UUID {
        let rule = UUID()
        let alert = UUID()
        try await db.query(
            "INSERT INTO alert_rules (id, name, expression, severity) VALUES (\(rule), 'lossy', 'packet_loss > 40', 'high')",
            logger: logger)
        try await db.query(
            "INSERT INTO alert_history (id, rule_id, device_id, severity, message) VALUES (\(alert), \(rule), \(device), 'high', 'lossy')",
            logger: logger)
        return alert
    }

    @Test func alertTracesShareTheBranchBudgetWithDownTracesAndReuseARecentOne() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let (_, devices) = try await Self.branch(devices: 8, on: db)
            let store = DiagnosticJobStore(logger: Self.logger)
            let first = try await Self.alert(for: devices[0], on: db)
            guard case .created(let job) = try await store.traceForAlert(device: devices[0], alert: first, on: db)
            else {
                Issue.record("the first alert trace of the branch is within its budget")
                return
            }
            let record = try #require(try await store.job(job, on: db))
            #expect(record.trigger == .alert && record.alertHistoryID == first && record.kind == .traceroute)

            try await db.query(
                "UPDATE standalone_devices SET down_since = now() - interval '1 minute' WHERE id = ANY(\(Array(devices[1...]))::uuid[])",
                logger: Self.logger)
            let down = try await store.createDownTriggered(on: db)
            #expect(down.count == 4, "one of the 5 per minute went to the alert trace")

            let traced = try #require(try await store.job(down[0], on: db)).deviceID
            let second = try await Self.alert(for: traced, on: db)
            #expect(
                try await store.traceForAlert(device: traced, alert: second, on: db) == .attached(down[0]),
                "the device's fresh down trace is attached to the alert instead of a second trace")
            #expect(try await store.job(down[0], on: db)?.alertHistoryID == second)

            let untraced = try #require(
                Set(devices[1...]).subtracting(
                    try await db.query(
                        "SELECT device_id FROM diagnostic_jobs", logger: Self.logger
                    ).collect().map { try $0.decode(UUID.self) }
                ).first)
            #expect(
                try await store.traceForAlert(
                    device: untraced, alert: try await Self.alert(for: untraced, on: db), on: db)
                    == .rateLimited)
            let loose = try await Fixture.device("no-branch", ip: "10.9.99.1", on: db)
            #expect(
                try await store.traceForAlert(device: loose, alert: try await Self.alert(for: loose, on: db), on: db)
                    == .untraceable)
        }
    }

    @Test func resolvedNamesReachTheAgentAndTheHops() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let (agent, devices) = try await Self.branch(devices: 1, on: db)
            let store = DiagnosticJobStore(logger: Self.logger)
            let job = try await store.create(
                device: devices[0], try DiagnosticRequest(kind: .mtr, cycles: 1, trigger: .api, resolveNames: true),
                on: db)
            let plain = try await store.create(
                device: devices[0], try DiagnosticRequest(kind: .traceroute, trigger: .api), on: db)
            let claimed = try await store.claimPending(for: [agent], on: db)
            #expect(claimed.map(\.resolveNames) == [true, false])
            #expect(try await store.job(job, on: db)?.resolveNames == true)
            var report = Self.report(["127.0.0.1", nil])
            report.hops[0].hostname = "localhost"
            let ending = try #require(
                try await store.end(
                    job, agent: agent, status: .completed, report: report.validated(), detail: nil, on: db))
            #expect(ending.jobID == job && ending.deviceID == devices[0] && ending.tracedPath)
            #expect(ending.pathChanged == nil, "the first trace of the device")
            let hops = try await store.hops(of: try #require(try await store.job(job, on: db)), on: db)
            #expect(hops.map(\.hostname) == ["localhost", nil])
            let failed = try await store.end(
                plain, agent: agent, status: .failed, report: nil, detail: "no route", on: db)
            #expect(failed?.status == .failed && failed?.tracedPath == false)
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
