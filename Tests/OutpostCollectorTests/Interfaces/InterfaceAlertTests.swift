import Foundation
import OutpostCollector
import OutpostCore
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

/// Interface variables and ISP links in the alert engine, fed through the real ingest pipeline.
extension AlertEngineTests {
    @Test("an interface whose oper status goes down fires `if_down > 0`, an admin-down one does not count")
    func interfaceDown() async throws {
        try await Self.withFleet { db, database, fleet in
            let (oper, admin) = (UUID(), UUID())
            for (id, oid) in [(oper, "1.3.6.1.2.1.2.2.1.8"), (admin, "1.3.6.1.2.1.2.2.1.7")] {
                try await db.query(
                    """
                    INSERT INTO monitoring_items (id, device_id, oid_name, oid, value_type, is_table)
                    VALUES (\(id), \(fleet.a.uuid), \(oid), \(oid), 'integer', true)
                    """, logger: TestDatabase.logger)
            }
            try await Self.addRule(db, name: "Interface down", expression: "if_down > 0")
            try await Self.withEngine(database.url) { pipeline, engine in
                let start = Date()
                func walk(_ sequence: Int, _ item: UUID, _ rows: [String: Int64], at offset: Double) -> IngestBatch {
                    IngestBatch(
                        agentID: fleet.agent, sequence: BatchSequence(UInt64(sequence)),
                        samples: rows.map { key, value in
                            ItemSample(
                                itemID: ItemID(item), deviceID: fleet.a, timestamp: start.addingTimeInterval(offset),
                                value: .integer(value), instance: ItemInstance(key: key, label: "Gi0/\(key)"))
                        })
                }
                // ifIndex 3 is shut down: admin down, oper down.
                _ = try await pipeline.submit(walk(1, admin, ["1": 1, "2": 1, "3": 2], at: 0))
                _ = try await pipeline.submit(walk(2, oper, ["1": 1, "2": 1, "3": 2], at: 1))
                #expect(try await eventually(within: .seconds(10)) { engine.evaluatedCommits == 2 })
                #expect(try await db.integer("SELECT count(*) FROM alert_history") == 0)
                _ = try await pipeline.submit(walk(3, oper, ["1": 1, "2": 2, "3": 2], at: 61))
                #expect(try await Self.historyReaches(1, on: db))
                #expect(try await db.strings("SELECT value FROM alert_history") == ["1"])
                _ = try await pipeline.submit(walk(4, oper, ["1": 1, "2": 1, "3": 2], at: 121))
                #expect(
                    try await eventually(within: .seconds(10)) {
                        try await db.integer("SELECT count(*) FROM alert_history WHERE resolved_at IS NOT NULL") == 1
                    })
            }
        }
    }

    @Test("`isp_link AND response_time > 100ms` fires on the device with an ISP uplink only")
    func ispLinkResponseTime() async throws {
        try await Self.withFleet { db, database, fleet in
            try await db.query(
                """
                INSERT INTO device_interfaces (device_id, if_index, alias, isp_provider)
                VALUES (\(fleet.a.uuid), 1, 'Silknet 1G', 'Silknet'), (\(fleet.b.uuid), 1, 'to core', NULL)
                """, logger: TestDatabase.logger)
            try await Self.addRule(db, name: "slow ISP", expression: "isp_link AND response_time > 100ms")
            try await Self.addRule(db, name: "lossy ISP", expression: "isp_link AND packet_loss > 5%")
            try await Self.withEngine(database.url) { pipeline, engine in
                let start = Date()
                func round(_ sequence: Int, rtt: Double, at offset: Double) -> IngestBatch {
                    IngestBatch(
                        agentID: fleet.agent, sequence: BatchSequence(UInt64(sequence)),
                        pings: [fleet.a, fleet.b].map { device in
                            PingRoundResult(
                                deviceID: device, deviceIP: "10.0.0.1", timestamp: start.addingTimeInterval(offset),
                                packetsSent: 3, packetsReceived: 3, avgRTT: rtt)
                        })
                }
                _ = try await pipeline.submit(round(1, rtt: 90, at: 0))
                #expect(try await eventually(within: .seconds(10)) { engine.evaluatedCommits == 1 })
                #expect(try await db.integer("SELECT count(*) FROM alert_history") == 0)
                _ = try await pipeline.submit(round(2, rtt: 150, at: 10))
                #expect(try await Self.historyReaches(1, on: db))
                #expect(
                    try await db.strings(
                        """
                        SELECT d.name || '|' || h.rule_name FROM alert_history h
                        JOIN standalone_devices d ON d.id = h.device_id
                        """) == ["router-a|slow ISP"])
            }
        }
    }
}
