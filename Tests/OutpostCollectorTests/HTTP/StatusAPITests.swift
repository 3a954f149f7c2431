import Foundation
import OutpostCollector
import OutpostCore
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostCollectorTestSupport

@Suite("Operator HTTP: state views of the management API", .tags(.postgres), .needsPostgres)
struct StatusAPITests {
    /// Two branches: north with r1, r2, r3 and a disabled d4; south with s1.
    struct Fleet {
        let agent: AgentID
        let devices: [String: DeviceID]
    }

    static func fleet(_ db: PostgresConnection) async throws -> Fleet {
        let logger = TestDatabase.logger
        try await db.query(
            """
            INSERT INTO branches (name, display_name, region) VALUES ('north', 'North', 'Kakheti'), ('south', 'South', NULL)
            """, logger: logger)
        var devices: [String: DeviceID] = [:]
        for (name, ip, branch, enabled) in [
            ("r1", "10.1.0.1", "north", true), ("r2", "10.1.0.2", "north", true),
            ("r3", "10.1.0.3", "north", true), ("d4", "10.1.0.4", "north", false),
            ("s1", "10.2.0.1", "south", true),
        ] {
            let id = UUID()
            try await db.query(
                """
                INSERT INTO standalone_devices (id, name, ip, enabled, branch_id)
                SELECT \(id), \(name), \(ip), \(enabled), id FROM branches WHERE name = \(branch)
                """, logger: logger)
            devices[name] = DeviceID(id)
        }
        let agent = AgentID.random()
        try await db.query(
            """
            INSERT INTO agents (id, branch_id, name, public_key, cert_serial, cert_not_after)
            SELECT \(agent.uuid), id, 'north-box', '\\x00'::bytea, 'c0ffee', '2031-01-02T03:04:05Z' FROM branches WHERE name = 'north'
            """, logger: logger)
        return Fleet(agent: agent, devices: devices)
    }

    static func round(_ device: DeviceID, _ ip: String, at time: Date, sent: Int = 4, received: Int, rtt: Double? = nil)
        -> PingRoundResult
    {
        PingRoundResult(
            deviceID: device, deviceIP: ip, timestamp: time, packetsSent: sent, packetsReceived: received,
            minRTT: rtt.map { $0 / 2 }, avgRTT: rtt, maxRTT: rtt.map { $0 * 2 }, stddevRTT: rtt.map { $0 / 10 })
    }

    /// Writes `batches` through the real ingest pipeline (which derives device state).
    static func ingest(_ batches: [IngestBatch], database: DatabaseURL) async throws {
        let pipeline = IngestPipeline(database: database, logger: OperatorHTTPFixture.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await pipeline.run() }
            defer { group.cancelAll() }
            for batch in batches {
                let disposition = try await pipeline.submit(batch)
                #expect(disposition == .committed)
            }
        }
    }

    static func byName(_ items: [[String: Any]]) -> [String: [String: Any]] {
        Dictionary(uniqueKeysWithValues: items.map { ($0["name"] as? String ?? "?", $0) })
    }

    @Test("devices show their derived state and newest ping round; branches count them; ?branch= filters")
    func devicesAndBranches() async throws {
        try await TestDatabase.withMigrated { db, database in
            let fleet = try await Self.fleet(db)
            let d = fleet.devices
            let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 600).rounded())
            try await Self.ingest(
                [
                    IngestBatch(
                        agentID: fleet.agent, sequence: 1,
                        pings: [
                            Self.round(d["r1"]!, "10.1.0.1", at: start, received: 4, rtt: 0.25),
                            Self.round(d["r2"]!, "10.1.0.2", at: start, received: 0),
                            Self.round(d["s1"]!, "10.2.0.1", at: start, received: 4, rtt: 3),
                        ]),
                    // A newer round for r1: the API must show this one.
                    IngestBatch(
                        agentID: fleet.agent, sequence: 2,
                        pings: [
                            Self.round(d["r1"]!, "10.1.0.1", at: start + 10, received: 3, rtt: 0.5)
                        ]),
                ], database: database.url)

            try await OperatorHTTPFixture().withServer(database: database.url) { anonymous in
                let http = try await OperatorAccounts.admin(anonymous, on: db)
                let reply = try await http.get("/api/v1/status/devices")
                #expect(reply.status == 200)
                let all = try reply.list("devices")
                // By branch, then name.
                #expect(all.map { $0["name"] as? String } == ["d4", "r1", "r2", "r3", "s1"])
                let devices = Self.byName(all)

                let r1 = try #require(devices["r1"])
                #expect(r1["state"] as? String == "up")
                #expect(r1["branch"] as? String == "north")
                #expect(r1["ip"] as? String == "10.1.0.1")
                #expect(r1["id"] as? String == d["r1"]!.description)
                let ping = try #require(r1["latest_ping"] as? [String: Any])
                #expect(ping["rtt_ms"] as? Double == 0.5)
                #expect(ping["rtt_max_ms"] as? Double == 1)
                #expect(ping["loss_percent"] as? Double == 25)
                #expect(ping["packets_sent"] as? Int == 4 && ping["packets_received"] as? Int == 3)
                #expect(ping["reachable"] as? Bool == true)
                #expect(ping["timestamp"] as? String == (start + 10).formatted(.iso8601))
                #expect(r1["last_seen"] as? String == (start + 10).formatted(.iso8601))

                let r2 = try #require(devices["r2"])
                #expect(r2["state"] as? String == "down")
                #expect(r2["down_since"] as? String == start.formatted(.iso8601))
                let lost = try #require(r2["latest_ping"] as? [String: Any])
                #expect(lost["loss_percent"] as? Double == 100 && lost["reachable"] as? Bool == false)
                #expect(lost["rtt_ms"] == nil)

                #expect(devices["r3"]?["state"] as? String == "unknown")
                #expect(devices["r3"]?["latest_ping"] == nil)
                #expect(devices["d4"]?["enabled"] as? Bool == false)

                let south = try await http.get("/api/v1/status/devices?branch=south").list("devices")
                #expect(south.map { $0["name"] as? String } == ["s1"])
                #expect((south.first?["latest_ping"] as? [String: Any])?["rtt_ms"] as? Double == 3)

                let unknown = try await http.get("/api/v1/status/devices?branch=nowhere")
                #expect(unknown.status == 404)
                #expect(try unknown.json()["error"] as? String == #"no branch named "nowhere""#)
                #expect(try await http.get("/api/v1/status/devices?branch=").status == 400)
                #expect(
                    try await http.get("/api/v1/status/devices?branch=" + String(repeating: "x", count: 201)).status
                        == 400)

                let branches = Self.byName(try await http.get("/api/v1/status/branches").list("branches"))
                let north = try #require(branches["north"])
                // d4 is disabled: not counted.
                #expect(north["devices"] as? [String: Int] == ["total": 3, "up": 1, "down": 1, "unknown": 1])
                #expect(north["agents"] as? Int == 1)
                #expect(north["region"] as? String == "Kakheti")
                #expect(north["display_name"] as? String == "North")
                #expect(
                    branches["south"]?["devices"] as? [String: Int] == ["total": 1, "up": 1, "down": 0, "unknown": 0])
            }
        }
    }

    @Test("agents show what their Hello recorded: version, last seen, dropped results; certificate serial and expiry")
    func agents() async throws {
        try await TestDatabase.withMigrated { db, database in
            let fleet = try await Self.fleet(db)
            _ = try await AgentSessionStore(logger: TestDatabase.logger).recordHello(
                fleet.agent, version: "1.4.2", address: "127.0.0.1:40000", droppedResults: 42, lastAcknowledged: 0,
                on: db)
            try await OperatorHTTPFixture().withServer(database: database.url) { anonymous in
                let http = try await OperatorAccounts.admin(anonymous, on: db)
                let agents = try await http.get("/api/v1/agents").list("agents")
                #expect(agents.count == 1)
                let agent = try #require(agents.first)
                #expect(agent["id"] as? String == fleet.agent.description)
                #expect(agent["name"] as? String == "north-box")
                #expect(agent["branch"] as? String == "north")
                #expect(agent["status"] as? String == "active")
                #expect(agent["version"] as? String == "1.4.2")
                #expect(agent["last_address"] as? String == "127.0.0.1:40000")
                #expect(agent["dropped_results_total"] as? Int == 42)
                #expect(agent["certificate_serial"] as? String == "c0ffee")
                #expect(agent["certificate_not_after"] as? String == "2031-01-02T03:04:05Z")
                #expect(agent["connected"] as? Bool == false)
                let lastSeen = try #require(
                    (agent["last_seen"] as? String).flatMap { try? Date($0, strategy: .iso8601) })
                #expect(abs(lastSeen.timeIntervalSinceNow) < 60)
            }
        }
    }

    @Test("agents carry their latest health summary, replaced by each heartbeat; an unknown agent's is not stored")
    func agentHealth() async throws {
        try await TestDatabase.withMigrated { db, database in
            let fleet = try await Self.fleet(db)
            let store = AgentSessionStore(logger: TestDatabase.logger)
            @Sendable func report(_ version: String, pending: Int64, demand: Int64) -> AgentHealthReport {
                AgentHealthReport(
                    agentVersion: version, residentBytes: 41_000_000, anonymousBytes: 20_000_000, spoolBytes: 3_000_000,
                    spoolPendingBatches: pending, spoolDroppedBatches: 2, spoolDroppedResults: 2000, roundsOverrun: 5,
                    icmpDemandPerSecond: demand, icmpCeilingPerSecond: 2000)
            }
            try await OperatorHTTPFixture().withServer(database: database.url) { anonymous in
                let http = try await OperatorAccounts.admin(anonymous, on: db)
                #expect(try await http.get("/api/v1/agents").list("agents").first?["health"] == nil)

                try await store.recordHealth(report("1.4.2", pending: 9, demand: 1000), of: fleet.agent, on: db)
                try await store.recordHealth(report("1.4.3", pending: 7, demand: 5000), of: fleet.agent, on: db)
                try await store.recordHealth(report("ghost", pending: 1, demand: 1), of: AgentID(UUID()), on: db)
                #expect(try await db.integer("SELECT count(*) FROM agent_health") == 1)

                let agent = try #require(try await http.get("/api/v1/agents").list("agents").first)
                #expect(agent["spool_backlog_batches"] as? Int == 7)
                let lastSeen = try #require(
                    (agent["last_seen"] as? String).flatMap { try? Date($0, strategy: .iso8601) })
                #expect(abs(lastSeen.timeIntervalSinceNow) < 60)
                let health = try #require(agent["health"] as? [String: Any])
                #expect(health["agent_version"] as? String == "1.4.3")
                #expect(health["resident_bytes"] as? Int == 41_000_000)
                #expect(health["anonymous_bytes"] as? Int == 20_000_000)
                #expect(health["spool_bytes"] as? Int == 3_000_000)
                #expect(health["spool_pending_batches"] as? Int == 7)
                #expect(health["spool_dropped_batches"] as? Int == 2)
                #expect(health["spool_dropped_results"] as? Int == 2000)
                #expect(health["rounds_overrun"] as? Int == 5)
                #expect(health["icmp_demand_per_second"] as? Int == 5000)
                #expect(health["icmp_ceiling_per_second"] as? Int == 2000)
                #expect(health["cannot_fit"] as? Bool == true)
                let received = try #require(
                    (health["received_at"] as? String).flatMap { try? Date($0, strategy: .iso8601) })
                #expect(abs(received.timeIntervalSinceNow) < 60)
                #expect(health.count == 12, "every documented field and nothing else: \(health.keys.sorted())")
            }
        }
    }

    @Test("alerts lists only open alerts, most severe first")
    func alerts() async throws {
        try await TestDatabase.withMigrated { db, database in
            let fleet = try await Self.fleet(db)
            let logger = TestDatabase.logger
            try await db.query(
                """
                INSERT INTO alert_rules (device_id, name, expression, severity)
                VALUES (\(fleet.devices["r1"]!.uuid), 'r1 unreachable', 'ping.loss > 50', 'critical')
                """, logger: logger)
            try await db.query(
                """
                INSERT INTO alert_history (rule_id, device_id, severity, message, value, triggered_at, resolved_at)
                SELECT id, device_id, s.severity, s.message, s.value, now() - s.age, s.resolved
                FROM alert_rules, (VALUES
                    ('warning', 'r1 lossy', '30', interval '5 minutes', NULL::timestamptz),
                    ('critical', 'r1 down', '100', interval '1 minute', NULL),
                    ('critical', 'r1 was down', '100', interval '2 hours', now() - interval '1 hour')
                ) AS s(severity, message, value, age, resolved)
                """, logger: logger)
            try await OperatorHTTPFixture().withServer(database: database.url) { anonymous in
                let http = try await OperatorAccounts.admin(anonymous, on: db)
                let alerts = try await http.get("/api/v1/status/alerts").list("alerts")
                #expect(alerts.map { $0["message"] as? String } == ["r1 down", "r1 lossy"])
                let first = try #require(alerts.first)
                #expect(first["severity"] as? String == "critical")
                #expect(first["rule_name"] as? String == "r1 unreachable")
                #expect(first["device_name"] as? String == "r1")
                #expect(first["branch"] as? String == "north")
                #expect(first["acknowledged"] as? Bool == false)
                #expect(first["value"] as? String == "100")
            }
        }
    }
}
