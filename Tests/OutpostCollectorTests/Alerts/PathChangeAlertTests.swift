import Foundation
import Logging
import OutpostCore
import OutpostStore
import OutpostTestSupport
import OutpostWire
import PostgresNIO
import Testing

@testable import OutpostCollector

/// Traces reach the alert engine through the diagnostics dispatcher's result path: `path_changed`
/// rules fire when a stored trace differs from the previous one and not when it is equal, and a
/// rule's `trace` action creates a trace linked to its alert.
@Suite("Alert engine: path changes and the trace action", .tags(.postgres), .needsPostgres)
struct PathChangeAlertTests {
    static let logger = TestDatabase.logger

    /// One branch with an agent and a device.
    struct Site {
        let agent: AgentID
        let branch: UUID
        let device: DeviceID
    }

    static func site(_ db: PostgresConnection) async throws -> Site {
        let agent = AgentID.random()
        let branch = try await Fixture.branch("kutaisi-2", on: db)
        try await Fixture.agent(agent.uuid, serial: agent.description, branch: branch, on: db)
        let device = try await Fixture.device("kutaisi-isp", ip: "10.70.0.1", branch: branch, on: db)
        return Site(agent: agent, branch: branch, device: DeviceID(device))
    }

    static func addRule(
        _ db: PostgresConnection, name: String, expression: String, channels: String = "[]"
    ) async throws {
        try await db.query(
            """
            INSERT INTO alert_rules (name, expression, severity, notification_channels)
            VALUES (\(name), \(expression), 'warning', \(channels)::jsonb)
            """, logger: logger)
    }

    /// A traceroute report of `path` (`nil`: a silent hop).
    static func report(_ path: [String?]) -> DiagnosticReport {
        DiagnosticReport(
            target: "10.70.0.1", probeProtocol: "icmp", startedAt: Date(), ending: "reached", cycles: 1,
            probesSent: path.count * 3,
            hops: path.enumerated().map { index, address in
                DiagnosticReport.Hop(
                    number: index + 1, responder: address, sent: 3, received: address == nil ? 0 : 3,
                    rttsMilliseconds: address == nil ? [] : [2, 2, 2], averageMilliseconds: address == nil ? nil : 2,
                    reply: address == nil ? nil : "time-exceeded")
            })
    }

    /// An alert engine and ingest pipeline on `url`'s database, and a diagnostics dispatcher that
    /// hands the traces it records to the engine (as `outpost-collector run` wires them).
    static func withCollector(
        _ url: DatabaseURL, _ body: @Sendable (IngestPipeline, AlertEngine, DiagnosticsDispatcher) async throws -> Void
    ) async throws {
        let client = PostgresClient(configuration: url.clientConfiguration, backgroundLogger: logger)
        let engine = try AlertEngine(client: client, logger: logger)
        let pipeline = IngestPipeline(database: url, logger: logger, committed: engine.observe)
        let dispatcher = DiagnosticsDispatcher(
            client: client, registry: SessionRegistry(), logger: logger, ended: engine.observe(trace:))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            group.addTask { try await pipeline.run() }
            group.addTask { try await engine.run() }
            defer { group.cancelAll() }
            try await body(pipeline, engine, dispatcher)
        }
    }

    /// Feeds one ping round of the site's device (`received` of 4 packets) and waits until the
    /// engine evaluated it.
    static func round(
        _ site: Site, _ sequence: Int, received: Int, _ pipeline: IngestPipeline, _ engine: AlertEngine
    ) async throws {
        let round = PingRoundResult(
            deviceID: site.device, deviceIP: "10.70.0.1", timestamp: Date(), packetsSent: 4,
            packetsReceived: received, avgRTT: received > 0 ? 2 : nil)
        let evaluated = engine.evaluatedCommits
        _ = try await pipeline.submit(
            IngestBatch(agentID: site.agent, sequence: BatchSequence(UInt64(sequence)), pings: [round]))
        #expect(try await eventually(within: .seconds(30)) { engine.evaluatedCommits == evaluated + 1 })
    }

    /// Runs a traceroute job of the site's device to its end through `dispatcher.result`, as the
    /// agent's JobResult arrives, and waits until the engine evaluated it.
    static func trace(
        _ path: [String?], _ site: Site, _ dispatcher: DiagnosticsDispatcher, _ engine: AlertEngine,
        on db: PostgresConnection
    ) async throws -> UUID {
        let store = DiagnosticJobStore(logger: logger)
        let job = try await store.create(
            device: site.device.uuid, try DiagnosticRequest(kind: .traceroute, trigger: .schedule), on: db)
        #expect(try await store.claimPending(for: [site.agent], on: db).map(\.jobID).contains(job))
        let evaluated = engine.evaluatedTraces
        try await dispatcher.result(
            JobResult(jobID: job, outcome: .succeeded, payload: try report(path).encoded()), from: site.agent, on: db)
        #expect(try await eventually(within: .seconds(30)) { engine.evaluatedTraces == evaluated + 1 })
        return job
    }

    /// `rule|resolved?` of every alert, oldest first.
    static func alerts(_ db: PostgresConnection) async throws -> [String] {
        try await db.strings(
            "SELECT rule_name || '|' || (resolved_at IS NOT NULL)::text FROM alert_history ORDER BY triggered_at, rule_name"
        )
    }

    @Test(
        "path_changed fires when a trace's hops differ from the previous trace's, not when equal; with packet_loss both must hold"
    )
    func pathChangedRules() async throws {
        try await TestDatabase.withMigrated { db, database in
            let site = try await Self.site(db)
            try await Self.addRule(db, name: "path", expression: "path_changed")
            try await Self.addRule(db, name: "path-loss", expression: "path_changed AND packet_loss > 5%")
            let first: [String?] = ["10.70.9.1", nil, "10.70.0.1"]
            let other: [String?] = ["10.70.9.2", nil, "10.70.0.1"]
            try await Self.withCollector(database.url) { pipeline, engine, dispatcher in
                try await Self.round(site, 1, received: 4, pipeline, engine)
                let store = DiagnosticJobStore(logger: Self.logger)
                let job = try await Self.trace(first, site, dispatcher, engine, on: db)
                #expect(try await store.job(job, on: db)?.pathChanged == nil, "the first trace compares with nothing")
                _ = try await Self.trace(first, site, dispatcher, engine, on: db)
                #expect(try await Self.alerts(db).isEmpty, "equal paths: no alert")

                let changed = try await Self.trace(other, site, dispatcher, engine, on: db)
                #expect(try await store.job(changed, on: db)?.pathChanged == true)
                #expect(try await Self.alerts(db) == ["path|false"], "loss is 0: path-loss stays quiet")

                try await Self.round(site, 2, received: 2, pipeline, engine)  // 50 % loss
                #expect(try await Self.alerts(db) == ["path|false", "path-loss|false"])

                _ = try await Self.trace(other, site, dispatcher, engine, on: db)
                #expect(
                    try await Self.alerts(db) == ["path|true", "path-loss|true"],
                    "the next trace finds the new path again: both resolve")
            }
        }
    }

    @Test(
        "a firing rule with the trace action creates a traceroute linked to its alert; a restarted engine replays the newest path_changed"
    )
    func traceActionAndReplay() async throws {
        try await TestDatabase.withMigrated { db, database in
            let site = try await Self.site(db)
            try await Self.addRule(
                db, name: "lossy", expression: "packet_loss > 40", channels: #"[{"type": "trace"}]"#)
            try await Self.withCollector(database.url) { pipeline, engine, dispatcher in
                try await Self.round(site, 1, received: 0, pipeline, engine)
                #expect(try await eventually(within: .seconds(30)) { try await Self.alerts(db) == ["lossy|false"] })
                let linked = try await db.strings(
                    """
                    SELECT j.trigger || '|' || j.kind || '|' || j.status FROM diagnostic_jobs j
                    JOIN alert_history h ON h.id = j.alert_history_id WHERE h.rule_name = 'lossy'
                    """)
                #expect(linked == ["alert|traceroute|pending"], "the alert's trace waits for the branch's agent")
                let alert = try #require(
                    UUID(uuidString: try await db.strings("SELECT id::text FROM alert_history").first ?? ""))
                let job = try #require(
                    UUID(uuidString: try await db.strings("SELECT id::text FROM diagnostic_jobs").first ?? ""))
                #expect(
                    try await AlertDesk(logger: Self.logger).alert(id: alert, on: db)?.traceJobID == job,
                    "the alert shows its trace")

                // Two traces with different paths: the newest path_changed is true.
                _ = try await Self.trace(["10.70.9.1", "10.70.0.1"], site, dispatcher, engine, on: db)
                _ = try await Self.trace(["10.70.9.2", "10.70.0.1"], site, dispatcher, engine, on: db)
            }
            // A new engine (a restart) sees the device again: it replays the stored traces, so a
            // rule added now fires at the next ping round without a new trace.
            try await Self.addRule(db, name: "path", expression: "path_changed")
            try await Self.withCollector(database.url) { pipeline, engine, _ in
                try await Self.round(site, 2, received: 4, pipeline, engine)
                #expect(
                    try await eventually(within: .seconds(30)) {
                        try await Self.alerts(db).contains("path|false")
                    })
            }
        }
    }
}
