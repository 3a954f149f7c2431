import Foundation
import Logging
import OutpostAgent
import OutpostCollector
import OutpostCore
import OutpostProbes
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

/// A real collector (mTLS listener, diagnostics dispatcher) and a real agent (uplink, job runner
/// with a trace engine in the tracer namespace of a ``RouterChain``): traceroute and MTR jobs
/// go through the job machinery, the hops land in the database, and a device going down behind
/// a cut link gets a trace, linked to its alert, that ends at the router where the path breaks.
@Suite(
    "Diagnostics: collector dispatches, agent traces, hops stored", .serialized,
    .tags(.root, .postgres, .netns, .timing), .needsQuietMachine, .needsPostgres, .needsNetworkNamespaces)
struct DiagnosticsEndToEndTests {
    static let logger = Logger(label: "outpost.test.diagnostics")

    /// The agent side: job runner with `engine`, uplink, until stopped.
    struct Agent {
        let runner: JobRunner
        let task: Task<Void, Never>

        static func start(_ fixture: TransportFixture, name: String, collector: CollectorAddress, engine: TraceEngine)
            async throws -> Agent
        {
            let identity = try UplinkIdentity(stateDirectory: fixture.stateDirectory(of: name))
            let spool = try Spool.open(directory: fixture.directory + "/\(name)-spool", logger: logger)
            let icmp = try ICMPEngine(configuration: .init(socketMode: .raw), logger: logger)
            let snmp = try SNMPEngine()
            let runner = JobRunner(
                sweeper: DiscoverySweeper(icmp: icmp, snmp: snmp),
                diagnostics: DiagnosticJobRunner(engine: engine, logger: logger), logger: logger
            ) { _ in }
            let uplink = Uplink(
                configuration: .init(collectors: [collector]), identity: identity, spool: spool, logger: logger,
                configurationVersion: { nil }, applyConfiguration: { _ in }, jobs: runner)
            let task = Task {
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { await spool.run() }
                    group.addTask { await uplink.run() }
                    await withTaskCancellationHandler {
                        while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
                    } onCancel: {
                    }
                    group.cancelAll()
                }
                await spool.close()
                await icmp.shutdown()
                await snmp.shutdown()
            }
            return Agent(runner: runner, task: task)
        }

        func stop() async {
            task.cancel()
            await task.value
        }
    }

    static var dispatcher: DiagnosticsDispatcher.Configuration {
        var configuration = DiagnosticsDispatcher.Configuration()
        configuration.pollInterval = .milliseconds(100)
        configuration.undispatchableSeconds = 2
        return configuration
    }

    static func status(_ job: UUID) -> String {
        "SELECT status || ' ' || coalesce(array_to_string(path, ','), '-') FROM diagnostic_jobs WHERE id = '\(job.uuidString)'"
    }

    @Test(
        "traceroute and MTR run on the branch agent and store their hops; a down device behind a cut link is traced to the broken hop; no agent fails the job"
    )
    func jobsThroughTheAgent() async throws {
        try await TransportFixture.with { db, database, fixture in
            _ = try await fixture.enrolAgent("agent-t", db: db)
            let chain = try RouterChain()
            defer { chain.close() }
            try await chain.warmUp()
            let device = try await Fixture.device(
                "isp-router", ip: chain.ipv4Destination, branch: fixture.branchID, on: db)
            let engine = try await chain.traceEngine()
            let jobs = DiagnosticJobStore(logger: Self.logger)
            let fullPath = "\(chain.ipv4Hop(1)),,\(chain.ipv4Hop(3)),\(chain.ipv4Hop(4))"
            try await fixture.withCollector(database: database.url, diagnostics: Self.dispatcher) { address in
                let agent = try await Agent.start(fixture, name: "agent-t", collector: address, engine: engine)

                let trace = try await jobs.create(
                    device: device, try DiagnosticRequest(kind: .traceroute, trigger: .manual), on: db)
                #expect(
                    try await database.eventually(Self.status(trace), equals: "completed \(fullPath)")
                        == "completed \(fullPath)")
                let record = try #require(try await jobs.job(trace, on: db))
                let hops = try await jobs.hops(of: record, on: db)
                #expect(hops.map(\.address) == [chain.ipv4Hop(1), nil, chain.ipv4Hop(3), chain.ipv4Hop(4)])
                #expect(hops.last?.reply == "echo-reply")
                #expect(hops.first?.rttsMilliseconds.count == 3)
                #expect(record.pathChanged == nil, "the first trace has nothing to compare with")

                let mtr = try await jobs.create(
                    device: device, try DiagnosticRequest(kind: .mtr, cycles: 3, trigger: .api), on: db)
                #expect(
                    try await database.eventually(Self.status(mtr), equals: "completed \(fullPath)")
                        == "completed \(fullPath)")
                let mtrHops = try await jobs.hops(of: try #require(try await jobs.job(mtr, on: db)), on: db)
                #expect(mtrHops.map(\.sent) == [3, 3, 3, 3])
                #expect(mtrHops.map(\.received) == [3, 0, 3, 3])
                #expect(try await jobs.job(mtr, on: db)?.pathChanged == false)

                // The destination's link is cut and the device goes down, with an alert.
                try chain.cutLink(into: 4)
                try await db.query(
                    "UPDATE standalone_devices SET down_since = now() WHERE id = \(device)", logger: Self.logger)
                let rule = UUID()
                try await db.query(
                    "INSERT INTO alert_rules (id, name, expression, severity) VALUES (\(rule), 'down', 'status == down', 'critical')",
                    logger: Self.logger)
                try await db.query(
                    "INSERT INTO alert_history (rule_id, device_id, severity, message) VALUES (\(rule), \(device), 'critical', 'isp-router down')",
                    logger: Self.logger)
                let down =
                    "SELECT status || ' ' || (alert_history_id IS NOT NULL) || ' ' || coalesce(path_changed::text, '-') FROM diagnostic_jobs WHERE trigger = 'down'"
                #expect(try await database.eventually(down, equals: "completed true true") == "completed true true")
                let downJob = try #require(try await jobs.jobs(device: device, limit: 1, on: db).first)
                #expect(downJob.trigger == .down)
                let path = try #require(downJob.path)
                let answering = Array(path.prefix(through: path.lastIndex { $0 != nil } ?? -1))
                #expect(answering == [chain.ipv4Hop(1), nil, chain.ipv4Hop(3)], "router 3 is where the path stops")

                await agent.stop()
                let offline = try await jobs.create(
                    device: device, try DiagnosticRequest(kind: .traceroute, trigger: .manual), on: db)
                let failed =
                    "SELECT status || ': ' || coalesce(detail, '-') FROM diagnostic_jobs WHERE id = '\(offline.uuidString)'"
                #expect(
                    try await database.eventually(failed, equals: "failed: no agent of branch tbilisi-1 is connected")
                        == "failed: no agent of branch tbilisi-1 is connected")
            }
            await engine.shutdown()
        }
    }
}
