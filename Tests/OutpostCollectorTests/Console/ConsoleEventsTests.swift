import Foundation
import OutpostCollector
import OutpostCore
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostCollectorTestSupport

/// `GET /console/events` on a real server and database: changes written the way ingest and the
/// alert engine write them reach a logged-in console within 2 s, only within the operator's
/// regions, and a steady state sends nothing.
@Suite("Console: live updates (/console/events)", .tags(.postgres, .timing), .needsQuietMachine, .needsPostgres)
struct ConsoleEventsTests {
    /// The delivery an operator is promised: a change on screen within 2 s.
    static let promised: Duration = .seconds(2)

    /// A branch in `region` with one device polled by one agent; the branch, device and agent.
    static func site(_ name: String, region: String, on db: PostgresConnection) async throws -> (
        branch: UUID, device: DeviceID, agent: AgentID
    ) {
        let branch = try await Fixture.branch(name, on: db)
        try await db.query("UPDATE branches SET region = \(region) WHERE id = \(branch)", logger: TestDatabase.logger)
        let agent = AgentID.random()
        try await Fixture.agent(agent.uuid, serial: "\(name)-agent", branch: branch, on: db)
        let device = try await Fixture.device("\(name)-router", ip: "10.9.0.1", branch: branch, on: db)
        return (branch, DeviceID(device), agent)
    }

    /// Ingests one ping round of `device` as the collector does (`received` of 3 replies).
    static func ping(
        _ writer: IngestWriter, _ site: (branch: UUID, device: DeviceID, agent: AgentID), sequence: BatchSequence,
        at time: Date, received: Int, on db: PostgresConnection
    ) async throws {
        let round = PingRoundResult(
            deviceID: site.device, deviceIP: "10.9.0.1", timestamp: time, packetsSent: 3, packetsReceived: received,
            minRTT: received > 0 ? 0.2 : nil, avgRTT: received > 0 ? 0.3 : nil, maxRTT: received > 0 ? 0.4 : nil,
            stddevRTT: received > 0 ? 0.05 : nil)
        _ = try await writer.write([IngestBatch(agentID: site.agent, sequence: sequence, pings: [round])], on: db)
    }

    /// A session of a new user `username` (`role`, `regions`).
    static func session(
        _ http: HTTPTestClient, _ username: String, role: OperatorRole = .admin, regions: [String] = [],
        on db: PostgresConnection
    ) async throws -> HTTPTestClient {
        _ = try await OperatorAccounts.add(username, role: role, regions: regions, on: db)
        let (session, reply) = try await LoginSessionTests.login(http, username)
        #expect(reply.status == 200, "\(reply.text)")
        return session
    }

    static func isChange(of device: DeviceID, kind: String) -> (SSETestStream.Event) -> Bool {
        { event in
            event.name == "change" && event.json["device"] as? String == device.uuid.uuidString.lowercased()
                && event.json["kind"] as? String == kind
        }
    }

    @Test("a device going down, an alert raised and acknowledged: each reaches the console within 2 s")
    func deviceStateAndAlert() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            let site = try await Self.site("tbilisi-1", region: "Tbilisi", on: db)
            let session = try await Self.session(http, "alice", on: db)
            let writer = IngestWriter(logger: TestDatabase.logger)
            let now = Date()
            try await Self.ping(writer, site, sequence: 1, at: now, received: 3, on: db)
            try await SSETestStream.with(session) { stream in
                #expect(try await stream.status() == 200)
                let hello = try #require(try await stream.event(where: { $0.name == "hello" }))
                #expect(hello.id != nil)
                #expect(stream.retry == 1000)

                var sent = ContinuousClock.now
                try await Self.ping(writer, site, sequence: 2, at: now + 1, received: 0, on: db)
                let down = try #require(
                    try await stream.event(
                        within: Self.promised, where: Self.isChange(of: site.device, kind: "device_state")),
                    "no device_state event within 2 s")
                #expect(down.json["branch"] as? String == site.branch.uuidString.lowercased())
                #expect(down.json["region"] == nil, "the region stays on the collector")
                #expect(down.received - sent < Self.promised)

                try await db.query(
                    "INSERT INTO alert_rules (name, expression, severity) VALUES ('down', 'ping_unreachable >= 1', 'critical')",
                    logger: TestDatabase.logger)
                let alerts = AlertRuleStore(logger: TestDatabase.logger)
                let rule = try #require(try await alerts.loadRules(on: db).rules.first?.record)
                sent = ContinuousClock.now
                let alertID = try await alerts.insertFiring(
                    rule: rule,
                    deviceID: site.device.uuid, message: "down", value: "1", at: Date(), on: db)
                let raised = try #require(
                    try await stream.event(within: Self.promised, where: Self.isChange(of: site.device, kind: "alert")),
                    "no alert event within 2 s")
                #expect(raised.json["branch"] as? String == site.branch.uuidString.lowercased())
                #expect(raised.received - sent < Self.promised)

                let before = stream.events.count
                sent = ContinuousClock.now
                let acknowledged = try await session.send(
                    "POST", "/api/v1/alerts/\(alertID.uuidString.lowercased())/acknowledge", json: ["comment": "on it"])
                #expect(acknowledged.status == 200, "\(acknowledged.text)")
                let seen = try #require(
                    try await stream.event(
                        after: before, within: Self.promised, where: Self.isChange(of: site.device, kind: "alert")),
                    "no event for the acknowledgement within 2 s")
                #expect(seen.received - sent < Self.promised)
            }
        }
    }

    @Test("a regional manager's stream carries their region's changes and never another region's")
    func regionalManager() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            let mine = try await Self.site("kutaisi-1", region: "Imereti", on: db)
            let other = try await Self.site("batumi-1", region: "Adjara", on: db)
            let manager = try await Self.session(http, "mariam", role: .regionalManager, regions: ["Imereti"], on: db)
            let admin = try await Self.session(http, "root", on: db)
            let writer = IngestWriter(logger: TestDatabase.logger)
            let now = Date()
            try await SSETestStream.with(manager) { managerStream in
                try await SSETestStream.with(admin) { adminStream in
                    #expect(try await managerStream.event(where: { $0.name == "hello" }) != nil)
                    #expect(try await adminStream.event(where: { $0.name == "hello" }) != nil)
                    // The other region's change first, then the manager's own: once the second has
                    // arrived, the first would have too.
                    try await Self.ping(writer, other, sequence: 1, at: now, received: 0, on: db)
                    try await Self.ping(writer, mine, sequence: 1, at: now, received: 0, on: db)
                    #expect(
                        try await managerStream.event(
                            within: Self.promised, where: Self.isChange(of: mine.device, kind: "device_state")) != nil)
                    #expect(
                        try await adminStream.event(
                            within: Self.promised, where: Self.isChange(of: mine.device, kind: "device_state")) != nil)
                    #expect(
                        try await adminStream.event(
                            within: Self.promised, where: Self.isChange(of: other.device, kind: "device_state")) != nil)
                    let leaked = managerStream.events.filter {
                        $0.data.contains(other.device.uuid.uuidString.lowercased())
                            || $0.data.contains(other.branch.uuidString.lowercased())
                    }
                    #expect(leaked.isEmpty, "the manager learnt of another region's device: \(leaked.map(\.data))")
                }
            }
        }
    }

    @Test("without a session or with an unknown one: 401, no stream")
    func unauthenticated() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { _, http in
            try await SSETestStream.with(http) { stream in
                let status = try await stream.status()
                #expect(status == 401)
                #expect(stream.events.isEmpty)
            }
            var forged = http
            forged.sessionCookie = "not-a-session"
            try await SSETestStream.with(forged) { stream in
                let status = try await stream.status()
                #expect(status == 401)
                #expect(stream.events.isEmpty)
            }
        }
    }

    @Test("ping rounds that keep a device's state send nothing: the next event is a later change elsewhere")
    func steadyState() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            let site = try await Self.site("gori-1", region: "Shida Kartli", on: db)
            let marker = DeviceID(
                try await Fixture.device("gori-1-switch", ip: "10.9.0.2", branch: site.branch, on: db))
            let session = try await Self.session(http, "nino", on: db)
            // Every round written (no refresh period), as the steady state of a busy collector is.
            let writer = IngestWriter(logger: TestDatabase.logger, deviceStateRefresh: .milliseconds(1))
            let t0 = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded())
            try await Self.ping(writer, site, sequence: 1, at: t0, received: 3, on: db)
            try await SSETestStream.with(session) { stream in
                #expect(try await stream.event(where: { $0.name == "hello" }) != nil)
                for round in 2...6 {
                    try await Self.ping(
                        writer, site, sequence: BatchSequence(round), at: t0 + Double(round), received: 3, on: db)
                }
                let probed = try await db.integer(
                    "SELECT extract(epoch FROM last_probe_at)::bigint FROM standalone_devices WHERE id = '\(site.device.uuid)'"
                )
                #expect(probed == Int(t0.timeIntervalSince1970) + 6, "each round rewrote the device's row")
                // One LISTEN delivers in commit order: a notice of the rounds would come first.
                try await db.query(
                    "UPDATE standalone_devices SET enabled = false WHERE id = \(marker.uuid)",
                    logger: TestDatabase.logger)
                let first = try #require(
                    try await stream.event(within: Self.promised, where: { $0.name != "hello" }),
                    "no event for the change")
                #expect(Self.isChange(of: marker, kind: "device_enabled")(first), "\(first.name): \(first.data)")
            }
        }
    }

    @Test("a stream resumed from an id it did not get starts with a resync; from the newest id it does not")
    func resumed() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            let session = try await Self.session(http, "levan", on: db)
            let newest = try await SSETestStream.with(session) { stream in
                try #require(try await stream.event(where: { $0.name == "hello" })?.id)
            }
            try await SSETestStream.with(session, headers: ["Last-Event-ID": newest]) { stream in
                let hello = try await stream.event(where: { $0.name == "hello" })
                #expect(hello != nil)
                let resync = try await stream.event(within: .milliseconds(300), where: { $0.name == "resync" })
                #expect(resync == nil, "resumed from the newest id: nothing was missed")
            }
            try await SSETestStream.with(session, headers: ["Last-Event-ID": "0-0"]) { stream in
                let resync = try await stream.event(where: { $0.name == "resync" })
                #expect(resync != nil)
            }
        }
    }

    @Test("graceful shutdown ends the open streams instead of waiting for them", .timeLimit(.minutes(1)))
    func shutdown() async throws {
        try await TestDatabase.withMigrated { db, database in
            let stream = RecordedEvents()
            try await OperatorHTTPFixture().withServer(database: database.url) { http in
                let session = try await Self.session(http, "tamar", on: db)
                Task {
                    try await SSETestStream.with(session) { events in
                        if try await events.event(where: { $0.name == "hello" }) != nil { stream.record("hello") }
                        if try await eventually(within: .seconds(30), { events.ended }) { stream.record("ended") }
                    }
                }
                #expect(try await stream.wait(for: "hello", within: .seconds(10)))
                #expect(stream.count(of: "ended") == 0)
            }
            // withServer returned once the server stopped, which it did with the stream still open.
            #expect(try await stream.wait(for: "ended", within: .seconds(5)), "the server did not end the stream")
        }
    }
}
