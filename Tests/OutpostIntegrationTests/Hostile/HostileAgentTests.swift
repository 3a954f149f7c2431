import Foundation
import NIOCore
import OutpostAgent
import OutpostCore
import OutpostPKI
import OutpostStore
import OutpostTestSupport
import OutpostWire
import PostgresNIO
import Testing

@testable import OutpostCollector
@testable import OutpostCollectorTestSupport

/// An enrolled agent turned hostile, driving the real collector (mTLS listener, sessions,
/// ingest, PostgreSQL) with hand-built frames: every value the wire allows but no column
/// holds. Each test asserts the safe outcome: the hostile value refused with its field named,
/// nothing of it stored, and the collector still serving an innocent agent.
@Suite("Hostile agents", .tags(.postgres), .needsPostgres)
struct HostileAgentTests {
    static let hello = Hello(
        agentVersion: "hostile", lastAcknowledgedSequence: 0, configVersion: nil, droppedResults: 0)

    /// A signed batch of `rounds` for `credentials`.
    static func signed(
        _ credentials: AgentCredentials, sequence: BatchSequence, rounds: [PingRoundResult] = [],
        samples: [ItemSample] = []
    ) throws -> SignedBatch {
        let batch = Batch(
            agentID: credentials.agentID, sequence: sequence, createdAt: Date(), pingResults: rounds,
            itemSamples: samples)
        return try SignedBatch.sign(batch, with: credentials.privateKey.signingKey())
    }

    /// A healthy round of `device`.
    static func round(_ device: DeviceID, ip: String = "127.0.1.1", at time: Date = Date()) -> PingRoundResult {
        PingRoundResult(
            deviceID: device, deviceIP: ip, timestamp: time, packetsSent: 3, packetsReceived: 3,
            minRTT: 0.05, avgRTT: 0.06, maxRTT: 0.07, stddevRTT: 0.01)
    }

    /// Opens a session (Hello, Welcome, Config) and runs `body` on it.
    static func session(
        _ credentials: AgentCredentials, to address: CollectorAddress, hello: Hello = HostileAgentTests.hello,
        _ body: (inout NIOAsyncChannelInboundStream<Message>.AsyncIterator, NIOAsyncChannelOutboundWriter<Message>)
            async throws -> Void
    ) async throws {
        try await RawAgentConnection.withSession(credentials, to: address, hello: hello) { _, inbound, outbound in
            try await body(&inbound, outbound)
        }
    }

    /// The next answer to a batch: Ack, Nack or Error (configuration pushes, which a change to
    /// the branch may send at any time, are skipped).
    static func reply(_ inbound: inout NIOAsyncChannelInboundStream<Message>.AsyncIterator) async throws -> Message? {
        while let message = try await inbound.next() {
            if case .config = message { continue }
            return message
        }
        return nil
    }

    /// The innocent agent's check: a good batch is acknowledged.
    static func innocentIsServed(
        _ credentials: AgentCredentials, device: DeviceID, sequence: BatchSequence, at address: CollectorAddress
    ) async throws {
        try await Self.session(credentials, to: address) { inbound, outbound in
            try await outbound.write(.batch(Self.signed(credentials, sequence: sequence, rounds: [Self.round(device)])))
            #expect(try await Self.reply(&inbound) == .ack(Ack(sequence: sequence)))
        }
    }

    @Test(
        "a Hello acknowledging a sequence ≥ 2^63 is refused with an Error naming the field; the collector serves the next agent"
    )
    func helloSequenceOutOfDomain() async throws {
        try await TransportFixture.with { db, database, fixture in
            let mallory = try await fixture.enrolAgent("mallory", db: db)
            let alice = try await fixture.enrolAgent("alice", db: db)
            let devices = try await fixture.addDevices(1, db: db)
            try await fixture.withCollector(database: database.url) { address in
                for sequence in [BatchSequence(1) << 63, .max] {
                    try await RawAgentConnection.with(mallory, to: address) { inbound, outbound in
                        try await outbound.write(
                            .hello(
                                Hello(
                                    agentVersion: "x", lastAcknowledgedSequence: sequence, configVersion: nil,
                                    droppedResults: .max)))
                        guard case .error(let error)? = try await inbound.next() else {
                            Issue.record("no Error frame")
                            return
                        }
                        #expect(error.code == .protocolViolation)
                        #expect(error.message.contains("hello.lastAcknowledgedSequence"))
                    }
                }
                try await Self.innocentIsServed(alice, device: devices[0], sequence: 1, at: address)
            }
            #expect(try await db.integer("SELECT count(*) FROM agent_sequences WHERE high_water < 0") == 0)
        }
    }

    @Test(
        "values outside their column's domain are refused with a Nack naming the field; the session goes on; nothing is stored"
    )
    func batchValuesOutOfDomain() async throws {
        try await TransportFixture.withAgent("mallory", devices: 1) { db, database, fixture, mallory, devices in
            let device = devices[0]
            let good = Self.round(device)
            func with(_ change: (inout PingRoundResult) -> Void) -> PingRoundResult {
                var row = good
                change(&row)
                return row
            }
            let hostile: [(String, PingRoundResult)] = [
                ("batch.ping.packetsReceived", with { $0.packetsReceived = Int(Int64.min) }),
                ("batch.ping.packetsReceived", with { $0.packetsReceived = 4 }),  // more than sent
                ("batch.ping.packetsSent", with { $0.packetsSent = Int(Int64.max) }),
                ("batch.ping.packetsSent", with { $0.packetsSent = -1 }),
                ("batch.ping.deviceIP", with { $0.deviceIP = String(repeating: "1", count: 60) }),
                ("batch.ping.deviceIP", with { $0.deviceIP = "127.0.0.1'); DROP TABLE agents; --" }),
                ("batch.ping.avgRTT", with { $0.avgRTT = 1e300 }),
                ("batch.ping.minRTT", with { $0.minRTT = -0.5 }),
                ("batch.ping.maxRTT", with { $0.maxRTT = .nan }),
                ("batch.ping.stddevRTT", with { $0.stddevRTT = .infinity }),
                ("batch.ping.timestamp", with { $0.timestamp = Date() - 300 * 86_400 }),
                ("batch.ping.timestamp", with { $0.timestamp = Date() + 2 * 86_400 }),
            ]
            let item = UUID()
            try await db.query(
                "INSERT INTO monitoring_items (id, device_id, oid_name, oid) VALUES (\(item), \(device.uuid), 'x', '1.3.6.1')",
                logger: TestDatabase.logger)
            try await fixture.withCollector(database: database.url) { address in
                try await Self.session(mallory, to: address) { inbound, outbound in
                    for (index, (field, row)) in hostile.enumerated() {
                        let sequence = BatchSequence(index + 1)
                        try await outbound.write(.batch(Self.signed(mallory, sequence: sequence, rounds: [good, row])))
                        guard case .nack(let nack)? = try await Self.reply(&inbound) else {
                            Issue.record("no Nack for \(field)")
                            return
                        }
                        #expect(nack.sequence == sequence)
                        #expect(nack.reason == .malformedBatch)
                        #expect(nack.detail?.hasPrefix(field) == true, "\(field): \(nack.detail ?? "no detail")")
                    }
                    // A rate that is not a number, and sequences the ledger cannot hold.
                    let sample = ItemSample(
                        itemID: ItemID(item), deviceID: device, timestamp: Date(), value: .counter64(1), rate: .nan)
                    try await outbound.write(.batch(Self.signed(mallory, sequence: 100, samples: [sample])))
                    guard case .nack(let rate)? = try await Self.reply(&inbound) else {
                        Issue.record("no Nack for the rate")
                        return
                    }
                    #expect(rate.detail?.hasPrefix("batch.item.rate") == true)
                    for sequence in [BatchSequence(1) << 63, .max, 0] {
                        try await outbound.write(.batch(Self.signed(mallory, sequence: sequence, rounds: [good])))
                        guard case .nack(let nack)? = try await Self.reply(&inbound) else {
                            Issue.record("no Nack for sequence \(sequence)")
                            return
                        }
                        #expect(nack.detail?.hasPrefix("batch.sequence") == true)
                    }
                    // The session is still up and serves a good batch.
                    try await outbound.write(.batch(Self.signed(mallory, sequence: 200, rounds: [good])))
                    #expect(try await Self.reply(&inbound) == .ack(Ack(sequence: 200)))
                }
            }
            #expect(try await db.integer("SELECT count(*) FROM ping_results") == 1)
            #expect(try await db.integer("SELECT count(*) FROM item_history") == 0)
            // No partition for the days 300 in the past or 2 ahead: at most today's and tomorrow's.
            #expect(
                try await db.integer("SELECT count(*) FROM pg_inherits WHERE inhparent = 'ping_results'::regclass") <= 9
            )
            #expect(try await db.integer("SELECT count(*) FROM agents") == 1)
        }
    }

    @Test(
        "an agent writes only its own branch: rows for another branch's device or item are refused, its state untouched"
    )
    func crossBranchRows() async throws {
        try await TransportFixture.with { db, database, fixture in
            let mallory = try await fixture.enrolAgent("mallory", db: db)
            let own = try await fixture.addDevices(1, db: db)[0]
            let otherBranch = try await Fixture.branch("batumi-1", displayName: "Batumi 1", on: db)
            let victim = try await Fixture.device("victim", ip: "127.0.2.1", branch: otherBranch, on: db)
            let victimItem = UUID()
            let ownItem = UUID()
            try await db.query(
                "INSERT INTO monitoring_items (id, device_id, oid_name, oid) VALUES (\(victimItem), \(victim), 'x', '1.3.6.1'), (\(ownItem), \(own.uuid), 'x', '1.3.6.1')",
                logger: TestDatabase.logger)
            let now = Date()
            let rounds = [
                Self.round(own, at: now), Self.round(DeviceID(victim), ip: "127.0.2.1", at: now),
                Self.round(DeviceID(UUID()), at: now),
            ]
            let samples = [
                ItemSample(itemID: ItemID(victimItem), deviceID: DeviceID(victim), timestamp: now, value: .integer(1)),
                // A foreign item on the agent's own device, then its own item on a foreign device.
                ItemSample(itemID: ItemID(victimItem), deviceID: own, timestamp: now, value: .integer(2)),
                ItemSample(itemID: ItemID(ownItem), deviceID: DeviceID(victim), timestamp: now, value: .integer(3)),
                ItemSample(itemID: ItemID(ownItem), deviceID: own, timestamp: now, value: .integer(4)),
            ]
            try await fixture.withCollector(database: database.url) { address in
                try await Self.session(mallory, to: address) { inbound, outbound in
                    try await outbound.write(
                        .batch(Self.signed(mallory, sequence: 1, rounds: rounds, samples: samples)))
                    #expect(try await Self.reply(&inbound) == .ack(Ack(sequence: 1)))
                }
            }
            #expect(try await db.strings("SELECT device_id::text FROM ping_results") == [own.description])
            #expect(try await db.strings("SELECT value_text FROM item_history") == ["4"])
            #expect(
                try await db.integer(
                    "SELECT count(*) FROM standalone_devices WHERE id = '\(victim)' AND last_seen IS NULL AND last_probe_at IS NULL"
                ) == 1)
            #expect(
                try await db.integer(
                    "SELECT count(*) FROM monitoring_items WHERE id = '\(victimItem)' AND last_poll IS NULL") == 1)
            #expect(
                try await db.integer(
                    "SELECT count(*) FROM monitoring_items WHERE id = '\(ownItem)' AND last_value = '4'") == 1)
        }
    }

    @Test("a device moved to the session's branch is accepted once the configuration change is seen")
    func scopeFollowsConfigurationChanges() async throws {
        try await TransportFixture.with { db, database, fixture in
            let alice = try await fixture.enrolAgent("alice", db: db)
            let otherBranch = try await Fixture.branch("batumi-1", displayName: "Batumi 1", on: db)
            let moved = try await Fixture.device("moved", ip: "127.0.2.1", branch: otherBranch, on: db)
            try await fixture.withCollector(database: database.url) { address in
                try await Self.session(alice, to: address) { inbound, outbound in
                    try await db.query(
                        "UPDATE standalone_devices SET branch_id = \(fixture.branchID) WHERE id = \(moved)",
                        logger: TestDatabase.logger)
                    // The new configuration names the device: the scope was reloaded before it was sent.
                    guard case .config = try await inbound.next() else {
                        Issue.record("no Config after the move")
                        return
                    }
                    try await outbound.write(
                        .batch(Self.signed(alice, sequence: 1, rounds: [Self.round(DeviceID(moved), ip: "127.0.2.1")])))
                    #expect(try await Self.reply(&inbound) == .ack(Ack(sequence: 1)))
                }
            }
            #expect(try await db.integer("SELECT count(*) FROM ping_results WHERE device_id = '\(moved)'") == 1)
        }
    }

    @Test(
        "a 255-byte version, a long peer address and control characters in the version: the agent is served, its log lines escaped"
    )
    func longAndForgedAgentText() async throws {
        try await TransportFixture.withAgent("alice", devices: 1) { db, database, fixture, alice, devices in
            let logs = CapturedLogs()
            let version = "1.0\nlevel=critical forged line" + String(repeating: "v", count: 255 - 30)
            #expect(version.utf8.count == 255)
            try await fixture.withCollector(database: database.url, logger: logs.logger(label: "outpost.test.hostile"))
            { address in
                let hello = Hello(
                    agentVersion: version, lastAcknowledgedSequence: 0, configVersion: nil, droppedResults: .max)
                try await Self.session(alice, to: address, hello: hello) { inbound, outbound in
                    try await outbound.write(.batch(Self.signed(alice, sequence: 1, rounds: [Self.round(devices[0])])))
                    #expect(try await Self.reply(&inbound) == .ack(Ack(sequence: 1)))
                }
                // Dropped results saturate instead of overflowing bigint.
                try await Self.session(alice, to: address, hello: hello) { _, _ in }
            }
            #expect(try await db.strings("SELECT version FROM agents") == [version])
            #expect(try await db.strings("SELECT dropped_results_total::text FROM agents") == [String(Int64.max)])
            #expect(!logs.all.contains { $0.contains("\nlevel=critical") })
            #expect(logs.all.contains { $0.contains("1.0\\u{A}level=critical forged line") })
        }
    }
}
