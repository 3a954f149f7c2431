import Foundation
import Logging
import NIOCore
import OutpostAgent
import OutpostCollector
import OutpostCore
import OutpostPKI
import OutpostStore
import OutpostTestSupport
import OutpostTransport
import OutpostWire
import PostgresNIO
import Testing

@Suite("Configuration pushed to connected agents", .tags(.postgres, .timing), .needsPostgres, .needsQuietMachine)
struct ConfigPushTests {
    static let logger = Logger(label: "outpost.test.configpush")

    @Test(
        "a running agent probes an added device, a changed address, receives an added item and stops a disabled device within 5 s of the change in Postgres"
    )
    func runningAgentFollowsChanges() async throws {
        try await TransportFixture.withAgent("agent-a", devices: 2) { db, database, fixture, credentials, devices in
            // Devices 127.0.1.1, 127.0.1.2
            let stateDirectory = "\(fixture.directory)/agent-a"
            try await fixture.withCollector(database: database.url) { address in
                let agent = try AgentService(
                    stateDirectory: stateDirectory, uplink: .init(collectors: [address]), logger: Self.logger)
                let running = Task { try await agent.run() }
                defer { running.cancel() }
                let observer = try await database.connect()
                defer { Task { try? await observer.close() } }
                // Both devices report: configuration, probing and delivery all work.
                for device in devices {
                    #expect(try await Self.firstRound(observer, "device_id = '\(device.uuid)'", within: 30) != nil)
                }

                // (c) A new device.
                let addedID = UUID()
                let addDelay = try #require(
                    try await Self.probeDelay(
                        of:
                            "INSERT INTO standalone_devices (id, name, ip, branch_id) VALUES (\(addedID), 'new', '127.0.1.50', \(fixture.branchID))",
                        untilRound: "device_id = '\(addedID)'", on: observer))
                Self.logger.notice("added device first probed \(addDelay) s after the INSERT")
                #expect(addDelay < 5, "added device first probed \(addDelay) s after the INSERT")

                // (a) A device's address changes.
                let moveDelay = try #require(
                    try await Self.probeDelay(
                        of: "UPDATE standalone_devices SET ip = '127.0.1.60' WHERE id = \(devices[0].uuid)",
                        untilRound: "device_ip = '127.0.1.60'", on: observer))
                Self.logger.notice("new address first probed \(moveDelay) s after the UPDATE")
                #expect(moveDelay < 5, "new address first probed \(moveDelay) s after the UPDATE")
                #expect(
                    try await observer.integer(
                        """
                        SELECT count(*) FROM ping_results WHERE device_ip = '127.0.1.60' AND device_id <> '\(devices[0].uuid)'
                        """) == 0, "the device keeps its identity")

                // (d) An item is added: the agent's configuration carries it within 5 s (the item
                // poller reads a never-read item at once: ItemPollerTests).
                var changedAt = Date()
                let itemID = UUID()
                try await observer.query(
                    """
                    INSERT INTO monitoring_items (id, device_id, name, oid_name, oid, interval, value_type)
                    VALUES (\(itemID), \(devices[0].uuid), 'uptime', 'sysUpTime', '1.3.6.1.2.1.1.3.0', 60, 'timeticks')
                    """, logger: TestDatabase.logger)
                try await Self.awaitConfiguration(of: credentials, in: stateDirectory) {
                    $0?.devices.contains(where: { $0.items.contains { $0.id == itemID } }) == true
                }
                let itemDelay = Date().timeIntervalSince(changedAt)
                Self.logger.notice("added item in the agent's configuration \(itemDelay) s after the INSERT")
                #expect(itemDelay < 5, "added item in the agent's configuration \(itemDelay) s after the INSERT")

                // (b) A device is disabled: the agent adopts a configuration without it within 5 s …
                changedAt = Date()
                try await observer.query(
                    "UPDATE standalone_devices SET enabled = false WHERE id = \(devices[1].uuid)",
                    logger: TestDatabase.logger)
                try await Self.awaitConfiguration(of: credentials, in: stateDirectory) {
                    $0?.devices.contains(where: { $0.id == devices[1].uuid }) == false
                }
                let appliedAt = Date()
                let applyDelay = appliedAt.timeIntervalSince(changedAt)
                Self.logger.notice(
                    "disabled device dropped from the agent's configuration \(applyDelay) s after the UPDATE")
                #expect(
                    applyDelay < 5,
                    "disabled device dropped from the agent's configuration \(applyDelay) s after the UPDATE")
                // … and starts no round from then on: watch past a whole round interval (10 s ± 1.75 s jitter)
                // of the other devices, which keep reporting.
                #expect(
                    try await Self.firstRound(
                        observer, "device_id = '\(addedID)'", after: appliedAt.addingTimeInterval(12), within: 30)
                        != nil)
                #expect(
                    try await observer.integer(
                        """
                        SELECT count(*) FROM ping_results WHERE device_id = '\(devices[1].uuid)' AND timestamp > '\(Self.iso(appliedAt))'
                        """) == 0, "a disabled device was probed after its removal")
                #expect(
                    try await observer.integer(
                        """
                        SELECT count(*) FROM ping_results WHERE device_ip = '127.0.1.1' AND timestamp > '\(Self.iso(appliedAt))'
                        """) == 0, "the old address was probed after the change")
                running.cancel()
                _ = await running.result
            }
        }
    }

    @Test("a burst of 100 committed updates reaches the agent as a few Config messages, the last one current")
    func burstIsCoalesced() async throws {
        try await TransportFixture.withAgent("agent-burst", devices: 3) { db, database, fixture, credentials, devices in
            try await fixture.withCollector(database: database.url) { address in
                try await RawAgentConnection.withSession(credentials, to: address) { _, inbound, outbound in
                    let writer = try await database.connect()
                    let burstStart = ContinuousClock.now
                    for index in 0..<100 {  // 100 transactions
                        try await writer.query(
                            "UPDATE standalone_devices SET name = \("burst-\(index)") WHERE id = \(devices[index % 3].uuid)",
                            logger: TestDatabase.logger)
                    }
                    let committedAt = ContinuousClock.now
                    let burst = burstStart.duration(to: committedAt)
                    try await writer.close()
                    // Every push is a snapshot taken after some of the updates; the last one
                    // taken after all of them names burst-99, and no push follows it (the
                    // version no longer changes).
                    var configs = 0
                    while let message = try await inbound.next() {
                        guard case .config(let snapshot) = message else { continue }
                        configs += 1
                        if try AgentConfiguration(encoded: snapshot.payload).devices.contains(where: {
                            $0.name == "burst-99"
                        }) {
                            break
                        }
                    }
                    let elapsed = committedAt.duration(to: .now)
                    Self.logger.notice(
                        "100 updates in \(burst): \(configs) Config messages, the current one \(elapsed) after the last commit"
                    )
                    // One dispatch per coalescing window the burst spans, plus the one it ends in and
                    // one for notification delivery lag; at most one Config per dispatch.
                    // Uncoalesced it would be up to 100.
                    let windows = Int((burst / ConfigChangeWatcher.defaultCoalescingWindow).rounded(.up)) + 2
                    #expect(
                        configs >= 1 && configs <= windows,
                        "100 updates in \(burst) became \(configs) Config messages (\(windows) windows)")
                    #expect(configs < 100)
                    #expect(elapsed < .seconds(5))
                }
            }
        }
    }

    @Test("a change committed while the listener reconnects reaches the agent (every session is rechecked)")
    func missedNotificationsAreRechecked() async throws {
        try await TransportFixture.withAgent("agent-recheck", devices: 1) {
            db, database, fixture, credentials, devices in
            try await fixture.withCollector(database: database.url) { address in
                try await RawAgentConnection.withSession(credentials, to: address) { _, inbound, outbound in
                    let admin = try await database.connect()
                    // A change pushed the ordinary way first: the listener is up and the
                    // recheck it does at start-up is over, so it cannot carry the change below.
                    try await admin.query(
                        "UPDATE standalone_devices SET name = 'warm-up' WHERE id = \(devices[0].uuid)",
                        logger: TestDatabase.logger)
                    while let message = try await inbound.next() {
                        guard case .config(let snapshot) = message else { continue }
                        if try AgentConfiguration(encoded: snapshot.payload).devices.first?.name == "warm-up" { break }
                    }
                    let listening = """
                        SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
                        AND query LIKE 'LISTEN%\(BranchConfigStore.changeChannel)%'
                        """
                    // One listener; on a loaded machine it may be between a reconnect's old and
                    // new connection for a moment.
                    let settled = Date().addingTimeInterval(5)
                    while try await admin.integer(listening) != 1, Date() < settled {
                        try await Task.sleep(for: .milliseconds(5))
                    }
                    #expect(try await admin.integer(listening) == 1)
                    _ = try await admin.integer(
                        """
                        SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database()
                        AND query LIKE 'LISTEN%\(BranchConfigStore.changeChannel)%'
                        """)
                    let deadline = Date().addingTimeInterval(5)
                    while try await admin.integer(listening) > 0, Date() < deadline {
                        try await Task.sleep(for: .milliseconds(5))
                    }
                    // Nobody listens while this commits: no notification can reach the collector.
                    let listenersAtCommit = try await admin.withTransaction(logger: TestDatabase.logger) {
                        transaction in
                        try await transaction.query(
                            "UPDATE standalone_devices SET ip = '127.0.1.99' WHERE id = \(devices[0].uuid)",
                            logger: TestDatabase.logger)
                        return try await transaction.integer(listening)
                    }
                    #expect(listenersAtCommit == 0, "the update was meant to commit while nobody listened")
                    let committedAt = ContinuousClock.now
                    try await admin.close()
                    while let message = try await inbound.next() {
                        guard case .config(let snapshot) = message else { continue }
                        if try AgentConfiguration(encoded: snapshot.payload).devices.first?.address == "127.0.1.99" {
                            break
                        }
                    }
                    let elapsed = committedAt.duration(to: .now)
                    Self.logger.notice("change missed by the listener arrived \(elapsed) after its commit")
                    #expect(elapsed < .seconds(5))
                }
            }
        }
    }

    @Test("a change of the ping settings in system_config reaches every connected agent within 5 s")
    func pingSettingsReachEveryAgent() async throws {
        try await TransportFixture.with { db, database, fixture in
            let credentials = try await fixture.enrolAgent("agent-settings", db: db)
            _ = try await fixture.addDevices(1, db: db)
            try await fixture.withCollector(database: database.url) { address in
                try await RawAgentConnection.withSession(credentials, to: address) { _, inbound, outbound in
                    let writer = try await database.connect()
                    try await writer.query(
                        "INSERT INTO system_config (key, value) VALUES ('ping.interval_seconds', '25')",
                        logger: TestDatabase.logger)
                    let committedAt = ContinuousClock.now
                    try await writer.close()
                    var interval: Double?
                    while interval != 25, let message = try await inbound.next() {
                        guard case .config(let snapshot) = message else { continue }
                        interval = try AgentConfiguration(encoded: snapshot.payload).pingIntervalSeconds
                    }
                    #expect(interval == 25)
                    #expect(committedAt.duration(to: .now) < .seconds(5))
                }
            }
        }
    }

    /// The start of the first ping round matching `condition` (started after `after`), polling
    /// the database until `within` seconds passed; `nil` if none arrived.
    static func firstRound(
        _ connection: PostgresConnection, _ condition: String, after: Date = .distantPast, within seconds: Double
    ) async throws -> Date? {
        let deadline = Date().addingTimeInterval(seconds)
        let sql = "SELECT min(timestamp) FROM ping_results WHERE \(condition) AND timestamp > '\(iso(after))'"
        while true {
            let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: TestDatabase.logger)
            for try await first in rows.decode(Date?.self) where first != nil { return first }
            guard Date() < deadline else { return nil }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Runs `change` on `connection` and returns how many seconds after it the first ping round
    /// matching `condition` started; `nil` if none started within 20 s.
    static func probeDelay(
        of change: PostgresQuery, untilRound condition: String, on connection: PostgresConnection
    ) async throws -> Double? {
        let changedAt = Date()
        try await connection.query(change, logger: TestDatabase.logger)
        return try await firstRound(connection, condition, after: changedAt, within: 20)?.timeIntervalSince(changedAt)
    }

    /// Polls the configuration the agent of `credentials` cached in `stateDirectory` every 20 ms
    /// until `accepts` holds for it, for 20 s at the most.
    static func awaitConfiguration(
        of credentials: AgentCredentials, in stateDirectory: String, until accepts: (AgentConfiguration?) -> Bool
    ) async throws {
        let deadline = Date().addingTimeInterval(20)
        while try !accepts(
            ConfigurationCache(stateDirectory: stateDirectory, agentKey: credentials.privateKey).storedConfiguration()),
            Date() < deadline
        {
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// A timestamp literal with microseconds, in UTC.
    static func iso(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
