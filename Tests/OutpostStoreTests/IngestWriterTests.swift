import Foundation
import OutpostCore
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostStore

@Suite("Ingest writer", .tags(.postgres), .needsPostgres)
struct IngestWriterTests {
    static let writer = IngestWriter(logger: TestDatabase.logger)

    /// A branch, an enrolled agent and `count` devices; returns the agent and device ids.
    static func fixture(_ db: PostgresConnection, devices count: Int) async throws -> (AgentID, [DeviceID]) {
        let agent = AgentID.random()
        let branch = try await Fixture.branch("b1", displayName: "B1", on: db)
        try await Fixture.agent(agent.uuid, serial: agent.description, branch: branch, on: db)
        var devices: [DeviceID] = []
        for index in 0..<count {
            devices.append(DeviceID(try await Fixture.device("dev\(index)", ip: "10.0.0.\(index + 1)", on: db)))
        }
        return (agent, devices)
    }

    static func round(_ device: DeviceID, at time: Date, received: Int) -> PingRoundResult {
        PingRoundResult(
            deviceID: device, deviceIP: "10.0.0.1", timestamp: time, packetsSent: 3, packetsReceived: received,
            minRTT: received > 0 ? 0.2 : nil, avgRTT: received > 0 ? 0.3 : nil,
            maxRTT: received > 0 ? 0.4 : nil, stddevRTT: received > 0 ? 0.05 : nil)
    }

    @Test("the same batch twice, in one group or across groups, is written once and acknowledged both times")
    func duplicates() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let (agent, devices) = try await Self.fixture(db, devices: 2)
            let now = Date()
            let batch = IngestBatch(
                agentID: agent, sequence: 1, pings: devices.map { Self.round($0, at: now, received: 3) })
            let first = try await Self.writer.write([batch, batch], on: db)
            #expect(first.committed == [BatchKey(agentID: agent, sequence: 1)])
            #expect(first.duplicates == [BatchKey(agentID: agent, sequence: 1)])
            let second = try await Self.writer.write([batch], on: db)
            #expect(second.committed.isEmpty)
            #expect(second.duplicates.count == 1)
            #expect(try await db.integer("SELECT count(*) FROM ping_results") == 2)
        }
    }

    @Test("batches out of order within the window are all written exactly once")
    func outOfOrder() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let (agent, devices) = try await Self.fixture(db, devices: 1)
            let now = Date()
            func batch(_ sequence: BatchSequence) -> IngestBatch {
                IngestBatch(
                    agentID: agent, sequence: sequence,
                    pings: [Self.round(devices[0], at: now.addingTimeInterval(Double(sequence)), received: 3)])
            }
            _ = try await Self.writer.write([batch(1), batch(3)], on: db)
            #expect(
                try await db.strings("SELECT high_water || ':' || committed_above::text FROM agent_sequences") == [
                    "1:{3}"
                ])
            _ = try await Self.writer.write([batch(5), batch(2)], on: db)
            #expect(
                try await db.strings("SELECT high_water || ':' || committed_above::text FROM agent_sequences") == [
                    "3:{5}"
                ])
            let replay = try await Self.writer.write([batch(1), batch(2), batch(3), batch(4), batch(5)], on: db)
            #expect(replay.committed == [BatchKey(agentID: agent, sequence: 4)])
            #expect(replay.duplicates.count == 4)
            #expect(try await db.integer("SELECT count(*) FROM ping_results") == 5)
            #expect(
                try await db.strings("SELECT high_water || ':' || committed_above::text FROM agent_sequences") == [
                    "5:{}"
                ])
        }
    }

    @Test("rows keep their values, land in their day's partition, and a missing partition is created")
    func rowsAndPartitions() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let (agent, devices) = try await Self.fixture(db, devices: 1)
            let future = Date().addingTimeInterval(20 * 86_400)  // beyond the partitions made ahead
            let ping = PingRoundResult(
                deviceID: devices[0], deviceIP: "10.0.0.1\t\\x", timestamp: future, packetsSent: 3,
                packetsReceived: 2, minRTT: 0.125, avgRTT: 0.25, maxRTT: 0.5, stddevRTT: 0.1)
            _ = try await Self.writer.write([IngestBatch(agentID: agent, sequence: 1, pings: [ping])], on: db)
            let row = try await db.strings(
                """
                SELECT device_ip || '|' || packets_sent || '|' || packets_received || '|' || round(packet_loss_percent::numeric, 2)
                       || '|' || min_rtt_ms || '|' || avg_rtt_ms || '|' || max_rtt_ms || '|' || is_reachable || '|'
                       || tableoid::regclass::text || '|' || (extract(epoch FROM timestamp) * 1000000)::bigint
                FROM ping_results
                """)
            let micros = Int64((future.timeIntervalSince1970 * 1_000_000).rounded())
            #expect(
                row == [
                    "10.0.0.1\t\\x|3|2|33.33|0.125|0.25|0.5|true|ping_results_p\(PartitionMaintenance.utcDay(future).replacingOccurrences(of: "-", with: ""))|\(micros)"
                ])
        }
    }

    @Test("down_since is set on the first failed round after the last success and cleared on recovery")
    func deviceState() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let (agent, devices) = try await Self.fixture(db, devices: 1)
            let device = devices[0]
            let t0 = Date(timeIntervalSince1970: (Date().timeIntervalSince1970).rounded())
            func state() async throws -> String {
                try await db.strings(
                    """
                    SELECT coalesce(extract(epoch FROM last_seen)::bigint::text, '-') || '/' ||
                           coalesce(extract(epoch FROM down_since)::bigint::text, '-') FROM standalone_devices
                    """)[0]
            }
            let s = Int(t0.timeIntervalSince1970)
            var outcome = try await Self.writer.write(
                [
                    IngestBatch(
                        agentID: agent, sequence: 1,
                        pings: [
                            Self.round(device, at: t0, received: 3),
                            Self.round(device, at: t0 + 10, received: 0),
                            Self.round(device, at: t0 + 20, received: 0),
                        ])
                ], on: db)
            #expect(try await state() == "\(s)/\(s + 10)")
            #expect(outcome.stateChanges == [DeviceStateChange(deviceID: device, isUp: false)])

            outcome = try await Self.writer.write(
                [IngestBatch(agentID: agent, sequence: 2, pings: [Self.round(device, at: t0 + 30, received: 0)])],
                on: db)
            #expect(try await state() == "\(s)/\(s + 10)")  // still down since the first failure
            #expect(outcome.stateChanges.isEmpty)

            // A stale replayed round (older than the newest seen) does not flip the state.
            outcome = try await Self.writer.write(
                [IngestBatch(agentID: agent, sequence: 3, pings: [Self.round(device, at: t0 + 5, received: 3)])], on: db
            )
            #expect(try await state() == "\(s + 5)/\(s + 10)")
            #expect(outcome.stateChanges.isEmpty)

            outcome = try await Self.writer.write(
                [IngestBatch(agentID: agent, sequence: 4, pings: [Self.round(device, at: t0 + 40, received: 1)])],
                on: db)
            #expect(try await state() == "\(s + 40)/-")
            #expect(outcome.stateChanges == [DeviceStateChange(deviceID: device, isUp: true)])
        }
    }

    @Test(
        "a device whose state holds is written once per refresh period of round time; pending rounds land with its next write"
    )
    func deviceStateRefresh() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let writer = IngestWriter(logger: TestDatabase.logger, deviceStateRefresh: .seconds(10))
            let (agent, devices) = try await Self.fixture(db, devices: 1)
            let device = devices[0]
            let period = DeviceStateCache(refresh: 10).period(of: device)
            #expect(period >= 5 && period <= 10)
            let t0 = Date(timeIntervalSince1970: (Date().timeIntervalSince1970).rounded())
            let s = Int(t0.timeIntervalSince1970)
            var sequence: BatchSequence = 0
            /// Writes one round `offset` seconds after t0; returns last_seen/down_since/last_probe_at
            /// (whole seconds after t0) and the state changes reported.
            func ingest(_ offset: Double, received: Int) async throws -> String {
                sequence += 1
                let outcome = try await writer.write(
                    [
                        IngestBatch(
                            agentID: agent, sequence: sequence,
                            pings: [
                                Self.round(device, at: t0 + offset, received: received)
                            ])
                    ], on: db)
                let row = try await db.strings(
                    """
                    SELECT coalesce((extract(epoch FROM last_seen)::bigint - \(s))::text, '-') || '/' ||
                           coalesce((extract(epoch FROM down_since)::bigint - \(s))::text, '-') || '/' ||
                           coalesce((extract(epoch FROM last_probe_at)::bigint - \(s))::text, '-') FROM standalone_devices
                    """)[0]
                #expect(outcome.stateChanges.allSatisfy { $0.deviceID == device })
                return ([row] + outcome.stateChanges.map { $0.isUp ? "up" : "down" }).joined(separator: " ")
            }
            #expect(try await ingest(0, received: 3) == "0/-/0")  // first round: written
            #expect(try await ingest(2, received: 3) == "0/-/0")  // still up, 2 s later: pending
            // Down: written at once, with the pending reply at 2 applied first.
            #expect(try await ingest(4, received: 0) == "2/4/4 down")
            #expect(try await ingest(6, received: 0) == "2/4/4")  // still down: pending
            // A late reply older than the pending failure at 6: written (it may change state), keeps
            // the device down because the newest round (6, pending) failed.
            #expect(try await ingest(5, received: 3) == "5/4/6")
            #expect(try await ingest(6 + period - 0.5, received: 0) == "5/4/6")  // within the period of the last write
            let refreshed = Int((6 + period + 0.01).rounded())
            #expect(try await ingest(6 + period + 0.01, received: 0) == "5/4/\(refreshed)")  // a period later: written
            #expect(try await ingest(30, received: 3) == "30/-/30 up")
        }
    }

    @Test("rows for unknown device ids are written and counted, not dropped")
    func unknownDevices() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let (agent, devices) = try await Self.fixture(db, devices: 1)
            let stranger = DeviceID(UUID())
            let outcome = try await Self.writer.write(
                [
                    IngestBatch(
                        agentID: agent, sequence: 1,
                        pings: [
                            Self.round(devices[0], at: Date(), received: 3),
                            Self.round(stranger, at: Date(), received: 3),
                        ])
                ], on: db)
            #expect(outcome.unknownDeviceRows == 1)
            #expect(outcome.rowsWritten == 2)
            #expect(try await db.integer("SELECT count(*) FROM ping_results") == 2)
            // Still counted on the next round; once the device exists, its state is derived.
            let again = try await Self.writer.write(
                [IngestBatch(agentID: agent, sequence: 2, pings: [Self.round(stranger, at: Date(), received: 3)])],
                on: db)
            #expect(again.unknownDeviceRows == 1)
            try await db.query(
                "INSERT INTO standalone_devices (id, name, ip) VALUES (\(stranger.uuid), 'late', '10.0.0.9')",
                logger: TestDatabase.logger)
            let known = try await Self.writer.write(
                [IngestBatch(agentID: agent, sequence: 3, pings: [Self.round(stranger, at: Date(), received: 3)])],
                on: db)
            #expect(known.unknownDeviceRows == 0)
            #expect(
                try await db.integer(
                    "SELECT count(*) FROM standalone_devices WHERE last_seen IS NOT NULL AND id = '\(stranger.uuid)'")
                    == 1)
        }
    }

    @Test("SNMP samples keep their type and update the item's last value or last error")
    func samples() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let (agent, devices) = try await Self.fixture(db, devices: 1)
            let item = UUID()
            try await db.query(
                "INSERT INTO monitoring_items (id, device_id, oid_name, oid, value_type) VALUES (\(item), \(devices[0].uuid), 'ifInOctets.1', '1.3.6.1.2.1.2.2.1.10.1', 'counter32')",
                logger: TestDatabase.logger)
            let t0 = Date()
            _ = try await Self.writer.write(
                [
                    IngestBatch(
                        agentID: agent, sequence: 1,
                        samples: [
                            ItemSample(
                                itemID: ItemID(item), deviceID: devices[0], timestamp: t0,
                                value: .counter32(4_000_000_000), rate: 12.5),
                            ItemSample(
                                itemID: ItemID(item), deviceID: devices[0], timestamp: t0 + 60,
                                value: .counter32(4_000_001_000), rate: 16.5),
                        ])
                ], on: db)
            #expect(
                try await db.strings(
                    "SELECT value_type || '|' || value_numeric || '|' || value_text || '|' || rate FROM item_history ORDER BY timestamp"
                )
                    == ["counter32|4000000000|4000000000|12.5", "counter32|4000001000|4000001000|16.5"])
            #expect(
                try await db.strings("SELECT last_value || '|' || coalesce(last_error, '-') FROM monitoring_items") == [
                    "4000001000|-"
                ])

            _ = try await Self.writer.write(
                [
                    IngestBatch(
                        agentID: agent, sequence: 2,
                        samples: [
                            ItemSample(
                                itemID: ItemID(item), deviceID: devices[0], timestamp: t0 + 120, value: nil,
                                error: "timeout after 2 retries")
                        ])
                ], on: db)
            #expect(
                try await db.strings("SELECT last_value || '|' || coalesce(last_error, '-') FROM monitoring_items") == [
                    "4000001000|timeout after 2 retries"
                ])
            #expect(
                try await db.strings("SELECT value_type || '|' || error FROM item_history WHERE value_numeric IS NULL")
                    == ["error|timeout after 2 retries"])
        }
    }

    @Test(
        "the device-state UPDATE probes the primary key for a thousand of 32,000 devices instead of scanning the table")
    func deviceUpdatePlan() async throws {
        try await TestDatabase.withMigrated { db, _ in
            try await db.query(
                """
                INSERT INTO standalone_devices (id, name, ip)
                SELECT gen_random_uuid(), 'd' || g, '10.1.' || (g / 256) || '.' || (g % 256) FROM generate_series(1, 32000) g
                """, logger: TestDatabase.logger)
            try await db.query("ANALYZE standalone_devices", logger: TestDatabase.logger)
            let ids = try await db.strings("SELECT id::text FROM standalone_devices ORDER BY random() LIMIT 1000")
            let writes: [DeviceStateCache.Write] = ids.map { id in
                (
                    summary: DeviceRoundSummary(Self.round(DeviceID(UUID(uuidString: id)!), at: Date(), received: 3)),
                    pending: nil
                )
            }.sorted { $0.summary.deviceID.uuid.precedesInDatabaseOrder($1.summary.deviceID.uuid) }
            let update = DeviceStateUpdate.statement(for: writes)
            try await db.query("BEGIN", logger: TestDatabase.logger)
            try await db.query(DeviceStateUpdate.planning, logger: TestDatabase.logger)
            let rows = try await db.query(
                PostgresQuery(unsafeSQL: "EXPLAIN " + update.sql, binds: update.binds), logger: TestDatabase.logger)
            var plan: [String] = []
            for try await line in rows.decode(String.self) { plan.append(line) }
            try await db.query("ROLLBACK", logger: TestDatabase.logger)
            #expect(!plan.contains { $0.contains("Seq Scan on standalone_devices") }, "\(plan.joined(separator: "\n"))")
            #expect(plan.contains { $0.contains("Index Scan using standalone_devices_pkey") })
        }
    }

    @Test("UUIDs are written as PostgreSQL's text of them and sorted in its uuid order")
    func uuidTextAndOrder() async throws {
        let edges = [
            UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
            UUID(uuid: (255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255)),
            UUID(uuid: (0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)),
            UUID(uuid: (0x7f, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0a)),
        ]
        let ids = edges + (0..<300).map { _ in UUID() }
        var encoder = CopyTextEncoder()
        for id in ids {
            encoder.uuid(id)
            encoder.endRow()
        }
        let lines = String(buffer: encoder.buffer).split(separator: "\n").map(String.init)
        #expect(lines == ids.map { $0.uuidString.lowercased() })
        try await TestDatabase.withEmpty { db, _ in
            let list = ids.map { "'\($0)'" }.joined(separator: ",")
            let databaseOrder = try await db.strings(
                "SELECT id::text FROM unnest(ARRAY[\(list)]::uuid[]) AS t(id) ORDER BY id")
            #expect(ids.sorted { $0.precedesInDatabaseOrder($1) }.map { $0.uuidString.lowercased() } == databaseOrder)
        }
    }

    @Test("UTC timestamp formatting matches PostgreSQL's reading of the same instant")
    func timestamps() async throws {
        try await TestDatabase.withEmpty { db, _ in
            for seconds in [0.0, 951_782_400.5, 1_700_000_000.123456, -86_400.25, 4_102_444_799.999999] {
                let text = UTCTimestamp.format(Date(timeIntervalSince1970: seconds))
                let epochMicros = try await db.integer(
                    "SELECT (extract(epoch FROM '\(text)'::timestamptz) * 1000000)::bigint")
                #expect(epochMicros == Int((seconds * 1_000_000).rounded()), "\(text)")
            }
        }
    }
}
