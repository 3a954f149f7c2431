import Foundation
import OutpostCore
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@Suite("Discovery store: rules, claiming, results", .tags(.postgres), .needsPostgres)
struct DiscoveryStoreTests {
    static let logger = TestDatabase.logger

    /// A branch with one agent, and a ping-only rule swept by that branch.
    struct Fixture {
        let branch: UUID
        let agent: AgentID
        let rule: DiscoveryRuleRecord

        static func make(on db: PostgresConnection, autoImport: Bool = true, name: String = "branch-7 lan") async throws
            -> Fixture
        {
            let branch = UUID()
            let agent = AgentID(UUID())
            try await db.query(
                "INSERT INTO branches (id, name, display_name) VALUES (\(branch), \("b-" + branch.uuidString.prefix(8)), 'Branch')",
                logger: logger)
            try await db.query(
                """
                INSERT INTO agents (id, branch_id, public_key, cert_serial, cert_not_after)
                VALUES (\(agent.uuid), \(branch), '\\x04'::bytea, \(agent.description), now() + interval '1 day')
                """, logger: logger)
            let rule = DiscoveryRuleRecord(
                name: name, ranges: ["10.7.0.0/24"], exclusions: ["10.7.0.1"], snmp: false,
                branchID: branch, autoImport: autoImport)
            try await DiscoveryRuleStore(logger: logger).add(rule, by: .commandLine(), on: db)
            return Fixture(branch: branch, agent: agent, rule: rule)
        }
    }

    @Test("rules are validated: ranges, schedule, target, credentials")
    func ruleValidation() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let fixture = try await Fixture.make(on: db)
            let store = DiscoveryRuleStore(logger: Self.logger)
            let listed = try await store.list(on: db)
            #expect(listed.map(\.name) == ["branch-7 lan"])
            #expect(
                listed.first?.ranges == ["10.7.0.0/24"] && listed.first?.exclusions == ["10.7.0.1"]
                    && listed.first?.snmp == false)
            #expect(try await store.rule("branch-7 lan", on: db).id == fixture.rule.id)

            func refusal(_ rule: DiscoveryRuleRecord) async -> String? {
                do {
                    try await store.add(rule, by: .commandLine(), on: db)
                    return nil
                } catch {
                    return "\(error)"
                }
            }
            let base = DiscoveryRuleRecord(name: "x", ranges: ["10.0.0.0/24"], snmp: false, branchID: fixture.branch)
            // Each change of the valid `base` and what its refusal says.
            let changes: [(String, (inout DiscoveryRuleRecord) -> Void)] = [
                ("not an IP address or prefix", { $0.ranges = ["10.0.0.300/24"] }),
                ("expected 5 fields", { $0.schedule = "*/5 * * *" }),
                ("a branch or an agent", { $0.branchID = nil }),
                ("candidate credential", { $0.snmp = true }),
                ("exists", { $0.name = "branch-7 lan" }),
                (
                    "no discovery credential",
                    {
                        $0.snmp = true
                        $0.credentialIDs = [UUID()]
                    }
                ),
            ]
            for (message, change) in changes {
                var bad = base
                change(&bad)
                #expect(await refusal(bad)?.contains(message) == true, "\(message)")
            }
        }
    }

    @Test("two collectors claiming at once never dispatch a job twice")
    func skipLockedClaiming() async throws {
        try await TestDatabase.withMigrated { db, database in
            let fixture = try await Fixture.make(on: db)
            let jobs = DiscoveryJobStore(logger: Self.logger)
            var created: Set<UUID> = []
            for _ in 0..<40 {
                if let id = try await jobs.createJob(rule: fixture.rule.id, triggeredBy: "manual", on: db) {
                    created.insert(id)
                }
            }
            let first = try await database.connect()
            let second = try await database.connect()
            defer {
                Task { [first, second] in
                    try? await first.close()
                    try? await second.close()
                }
            }
            // Both claim repeatedly, concurrently, in small bites until nothing is left.
            func drain(_ connection: PostgresConnection) async throws -> [UUID] {
                var mine: [UUID] = []
                while true {
                    let claimed = try await jobs.claimPending(for: [fixture.agent], limit: 3, on: connection)
                    if claimed.isEmpty { return mine }
                    #expect(claimed.allSatisfy { $0.agentID == fixture.agent.uuid && $0.rule.id == fixture.rule.id })
                    mine += claimed.map(\.jobID)
                }
            }
            async let a = drain(first)
            async let b = drain(second)
            let (byFirst, bySecond) = try await (a, b)
            #expect(Set(byFirst).isDisjoint(with: Set(bySecond)))
            #expect(byFirst.count + bySecond.count == 40)
            #expect(Set(byFirst + bySecond) == created)
            #expect(
                try await db.integer(
                    "SELECT count(*) FROM discovery_jobs WHERE status = 'dispatched' AND agent_id IS NOT NULL") == 40)
        }
    }

    @Test("a job waits while no agent of its branch is connected; a scheduled slot gets one job")
    func pendingUntilAgentAndScheduleSlots() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let fixture = try await Fixture.make(on: db)
            let jobs = DiscoveryJobStore(logger: Self.logger)
            let slot = Date(timeIntervalSince1970: 1_800_000_000)
            let job = try #require(
                try await jobs.createJob(rule: fixture.rule.id, triggeredBy: "schedule", scheduledFor: slot, on: db))
            #expect(
                try await jobs.createJob(rule: fixture.rule.id, triggeredBy: "schedule", scheduledFor: slot, on: db)
                    == nil)
            #expect(
                try await jobs.claimPending(for: [AgentID(UUID())], on: db).isEmpty,
                "another branch's agent does not get it")
            #expect(try await jobs.job(job, on: db)?.status == .pending)
            #expect(try await jobs.claimPending(for: [fixture.agent], on: db).map(\.jobID) == [job])
        }
    }

    @Test("progress, result, disconnect and cancel move a job through its states exactly once")
    func jobLifecycle() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let fixture = try await Fixture.make(on: db)
            let jobs = DiscoveryJobStore(logger: Self.logger)
            let done = try #require(try await jobs.createJob(rule: fixture.rule.id, triggeredBy: "manual", on: db))
            let lost = try #require(try await jobs.createJob(rule: fixture.rule.id, triggeredBy: "manual", on: db))
            _ = try await jobs.claimPending(for: [fixture.agent], on: db)
            #expect(try await jobs.recordProgress(done, agent: fixture.agent, scanned: 10, total: 253, on: db))
            #expect(
                try await jobs.recordProgress(done, agent: AgentID(UUID()), scanned: 20, total: 253, on: db) == false)
            let running = try #require(try await jobs.job(done, on: db))
            #expect(running.status == .running && running.scannedIPs == 10 && running.totalIPs == 253)

            let summary = DiscoveryJobSummary(
                total: 253, scanned: 253, responded: 2, identified: 1, failed: 1, durationSeconds: 3.4)
            #expect(
                try await jobs.finish(
                    done, agent: fixture.agent, status: .completed, summary: summary, detail: nil, on: db))
            #expect(
                try await jobs.finish(done, agent: fixture.agent, status: .failed, summary: nil, detail: "late", on: db)
                    == false)
            let finished = try #require(try await jobs.job(done, on: db))
            #expect(
                finished.status == .completed && finished.scannedIPs == 253 && finished.failedIPs == 1
                    && finished.durationSeconds == 3)
            #expect(try await db.integer("SELECT count(*) FROM discovery_rules WHERE last_run IS NOT NULL") == 1)

            #expect(try await jobs.requestCancel(lost, by: .commandLine(), on: db) == .dispatched)
            #expect(try await jobs.cancelRequested(among: [done, lost], on: db) == [lost])
            #expect(try await jobs.fail([lost], reason: "agent went away", on: db) == [lost])
            #expect(try await jobs.job(lost, on: db)?.errorMessage == "agent went away")
            await #expect(throws: DiscoveryStoreError.self) {
                try await jobs.requestCancel(lost, by: .commandLine(), on: db)
            }

            // A job whose collector died reports nothing: failed once silent long enough.
            let orphan = try #require(try await jobs.createJob(rule: fixture.rule.id, triggeredBy: "manual", on: db))
            _ = try await jobs.claimPending(for: [fixture.agent], on: db)
            #expect(try await jobs.failSilent(olderThan: 600, on: db).isEmpty)
            try await db.query(
                "UPDATE discovery_jobs SET updated_at = now() - interval '11 minutes' WHERE id = \(orphan)",
                logger: Self.logger)
            #expect(try await jobs.failSilent(olderThan: 600, on: db) == [orphan])
            #expect(
                try await jobs.job(orphan, on: db)?.errorMessage?.contains("no report from the agent for 600 s") == true
            )

            let waiting = try #require(try await jobs.createJob(rule: fixture.rule.id, triggeredBy: "manual", on: db))
            #expect(try await jobs.requestCancel(waiting, by: .commandLine(), on: db) == .cancelled)
            #expect(try await jobs.claimPending(for: [fixture.agent], on: db).isEmpty)
        }
    }

    @Test("results are de-duplicated against devices (by IP, then sysName/MAC when IPs are shared) and imported once")
    func dedupAndImportOnce() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let fixture = try await Fixture.make(on: db)
            _ = try await TemplateStore(logger: Self.logger).importTemplates(
                try BuiltinTemplates.all(), builtin: true, by: .commandLine(), on: db)
            try await db.query(
                """
                INSERT INTO standalone_devices (name, ip, branch_id) VALUES
                    ('known', '10.7.0.5', \(fixture.branch)),
                    ('twin-a', '10.7.0.9', \(fixture.branch)), ('twin-b', '10.7.0.9', \(fixture.branch)),
                    ('other-branch', '10.7.0.20', NULL)
                """, logger: Self.logger)
            let jobs = DiscoveryJobStore(logger: Self.logger)
            let writer = DiscoveryResultWriter(logger: Self.logger)

            func run() async throws -> (UUID, DiscoveryResultWriter.Outcome) {
                let job = try #require(try await jobs.createJob(rule: fixture.rule.id, triggeredBy: "manual", on: db))
                _ = try await jobs.claimPending(for: [fixture.agent], on: db)
                let findings = [
                    DiscoveryFinding(jobID: job, address: "10.7.0.5", respondsToICMP: true),
                    DiscoveryFinding(jobID: job, address: "10.7.0.9", respondsToICMP: true, sysName: "TWIN-B"),
                    DiscoveryFinding(
                        jobID: job, address: "10.7.0.10", respondsToICMP: true, snmpVersion: .v2c,
                        sysDescr: "Linux srv 6.1", sysObjectID: "1.3.6.1.4.1.8072.3.2.10", sysName: "srv-10",
                        macAddress: "02:00:00:00:00:0a", vendor: "net-snmp", deviceType: "server"),
                    DiscoveryFinding(jobID: job, address: "10.7.0.20", respondsToICMP: true),
                ]
                let outcome = try await writer.write(findings, from: fixture.agent, on: db)
                // The same batch replayed writes nothing more.
                let replay = try await writer.write(findings, from: fixture.agent, on: db)
                #expect(replay.duplicates == 4 && replay.written == 0)
                return (job, outcome)
            }

            let (firstJob, first) = try await run()
            #expect(first.written == 4 && first.matched == 2 && first.imported == 2)
            #expect(
                try await db.strings(
                    """
                    SELECT r.ip_address || '=' || coalesce(m.name, '-') || '/' || coalesce(i.name, '-')
                    FROM discovery_results r LEFT JOIN standalone_devices m ON m.id = r.matched_device_id
                    LEFT JOIN standalone_devices i ON i.id = r.imported_device_id
                    WHERE r.job_id = '\(firstJob.uuidString)' ORDER BY r.ip_address
                    """) == ["10.7.0.10=-/srv-10", "10.7.0.20=-/10.7.0.20", "10.7.0.5=known/-", "10.7.0.9=twin-b/-"])
            let imported = try await db.strings(
                """
                SELECT name || ':' || vendor || ':' || device_type FROM standalone_devices WHERE name = 'srv-10'
                """)
            #expect(imported == ["srv-10:net-snmp:server"])
            #expect(
                try await db.integer(
                    """
                    SELECT count(*) FROM monitoring_items i JOIN standalone_devices d ON d.id = i.device_id WHERE d.name = 'srv-10'
                    """) > 0, "the Linux template matched by vendor net-snmp was applied")
            let counters = try #require(try await jobs.job(firstJob, on: db))
            #expect(counters.discoveredDevices == 4 && counters.importedDevices == 2)

            let (secondJob, second) = try await run()
            #expect(
                second.written == 4 && second.imported == 0 && second.matched == 4, "a second run imports nothing new")
            #expect(try await jobs.job(secondJob, on: db)?.importedDevices == 0)
            #expect(try await db.integer("SELECT count(*) FROM standalone_devices") == 6)

            // A finding for a job that is not the reporting agent's is refused.
            let foreign = try await writer.write(
                [DiscoveryFinding(jobID: secondJob, address: "10.7.0.99", respondsToICMP: true)],
                from: AgentID(UUID()), on: db)
            #expect(foreign.refused == 1 && foreign.written == 0)
            let malformed = try await writer.write(
                [DiscoveryFinding(jobID: secondJob, address: "10.7.0.1; DROP", respondsToICMP: true)],
                from: fixture.agent, on: db)
            #expect(malformed.refused == 1 && malformed.written == 0)
        }
    }
}
