import Foundation
import OutpostCollector
import OutpostCore
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@Suite("Alert engine: baseline rules", .tags(.postgres), .needsPostgres)
struct BaselineAlertTests {
    /// A batch of one round per device with `rtt` (ms) at `time`.
    static func round(
        _ fleet: AlertEngineTests.Fleet, _ sequence: Int, _ devices: [DeviceID], rtt: Double, at time: Date
    ) -> IngestBatch {
        IngestBatch(
            agentID: fleet.agent, sequence: BatchSequence(UInt64(sequence)),
            pings: devices.map {
                PingRoundResult(
                    deviceID: $0, deviceIP: "10.0.0.1", timestamp: time, packetsSent: 3, packetsReceived: 3,
                    avgRTT: rtt)
            })
    }

    @Test("rtt > 3 * baseline_rtt fires on a device with a baseline, never on one without")
    func firesOnlyWithABaseline() async throws {
        try await AlertEngineTests.withFleet { db, database, fleet in
            // Device a: 10 ms usual in every hour of week; device b: no history.
            try await db.query(
                """
                INSERT INTO performance_baselines (device_id, hour_of_week, rtt_median_ms, rtt_mad_ms, rtt_samples,
                    loss_median_percent, loss_mad_percent, loss_samples, computed_at)
                SELECT \(fleet.a.uuid), h, 10, 1, 12, 0, 0, 12, now() FROM generate_series(0, 167) h
                """, logger: TestDatabase.logger)
            try await AlertEngineTests.addRule(db, name: "slow", expression: "rtt > 3 * baseline_rtt")
            try await AlertEngineTests.addRule(db, name: "anomalous", expression: "rtt_anomaly > 4")
            try await AlertEngineTests.withEngine(database.url) { pipeline, engine in
                let start = Date()
                _ = try await pipeline.submit(Self.round(fleet, 1, [fleet.a, fleet.b], rtt: 12, at: start))
                #expect(try await eventually(within: .seconds(10)) { engine.evaluatedCommits == 1 })
                #expect(try await db.integer("SELECT count(*) FROM alert_history") == 0)
                _ = try await pipeline.submit(
                    Self.round(fleet, 2, [fleet.a, fleet.b], rtt: 400, at: start.addingTimeInterval(10)))
                #expect(try await eventually(within: .seconds(10)) { engine.evaluatedCommits == 2 })
                #expect(
                    try await eventually(within: .seconds(10)) {
                        try await db.strings(
                            "SELECT rule_name || ' ' || device_id FROM alert_history ORDER BY rule_name")
                            == [
                                "anomalous \(fleet.a.uuid.uuidString.lowercased())",
                                "slow \(fleet.a.uuid.uuidString.lowercased())",
                            ]
                    })
            }
        }
    }
}
