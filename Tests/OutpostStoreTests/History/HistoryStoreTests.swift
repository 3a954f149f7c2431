import Foundation
import OutpostCore
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostStore

@Suite("History queries", .tags(.postgres), .needsPostgres)
struct HistoryStoreTests {
    static let store = HistoryStore(logger: TestDatabase.logger)
    static let base = HistoryFixture.base

    /// Three devices (the third silent), 10:00 to 13:00 of rounds every 10 s, rolled up.
    static func prepared(_ db: PostgresConnection) async throws -> (
        agent: AgentID, branch: UUID, devices: [DeviceID], gauges: [ItemID], counters: [ItemID]
    ) {
        let fixture = try await HistoryFixture.devices(3, on: db)
        var active = fixture
        active.devices.removeLast()
        try await HistoryFixture.ingest(active, from: base, duration: 3 * 3_600, on: db)
        _ = try await HistoryFixture.rollUpAll(RollupWriter(logger: TestDatabase.logger), on: db)
        return fixture
    }

    @Test("a device's ping chart at each resolution agrees with the raw rows")
    func pingHistory() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let fixture = try await Self.prepared(db)
            let device = fixture.devices[0].uuid
            let raw = try await Self.store.pingHistory(
                device: device, from: Self.base, to: Self.base.addingTimeInterval(3_600), on: db)
            #expect(raw.resolution == .raw)
            #expect(raw.bucketSeconds == 5)
            #expect(raw.points.count == 360)
            #expect(raw.points.allSatisfy { $0.samples == 1 && $0.upSeconds + $0.downSeconds == 5 })
            let minute = try await Self.store.pingHistory(
                device: device, from: Self.base, to: Self.base.addingTimeInterval(86_400), on: db)
            #expect(minute.resolution == .minute)
            #expect(minute.points.count == 180)
            #expect(minute.points.first?.time == Self.base)
            #expect(minute.points.allSatisfy { $0.samples == 6 && abs($0.upSeconds + $0.downSeconds - 60) < 0.001 })
            let hour = try await Self.store.pingHistory(
                device: device, from: Self.base.addingTimeInterval(-86_400),
                to: Self.base.addingTimeInterval(6 * 86_400),
                on: db)
            #expect(hour.resolution == .hour)
            #expect(hour.points.map(\.samples) == [360, 360, 360])
            // The same three hours read raw, by hand: loss and mean RTT agree.
            let direct = try await db.strings(
                """
                SELECT round((100.0 * (sum(packets_sent) - sum(packets_received)) / sum(packets_sent))::numeric, 3) || ' '
                    || round((sum(avg_rtt_ms::float8 * packets_received) / sum(packets_received))::numeric, 4)
                FROM ping_results WHERE device_id = '\(device)' GROUP BY date_trunc('hour', timestamp) ORDER BY 1
                """)
            let fromRollups = hour.points.map {
                String(format: "%.3f %.4f", $0.lossPercent ?? -1, $0.avgRTT ?? -1)
            }
            #expect(fromRollups.sorted() == direct)
            let unavailable = hour.points.reduce(0) { $0 + $1.downSeconds }
            #expect(unavailable > 0, "every 7th round is unreachable")
        }
    }

    @Test("a device's numeric items: counters as rates, other values as they are, by resolution")
    func itemHistories() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let fixture = try await Self.prepared(db)
            try await db.execute(
                """
                INSERT INTO monitoring_items (device_id, oid_name, oid, value_type)
                VALUES ('\(fixture.devices[0].uuid)', 'sysDescr', '1.3.6.1.2.1.1.1.0', 'octetstring')
                """)
            for span: TimeInterval in [1_800, 86_400, 7 * 86_400] {
                let histories = try await Self.store.itemHistories(
                    device: fixture.devices[0].uuid, from: Self.base, to: Self.base.addingTimeInterval(span), on: db)
                #expect(histories.map(\.name) == ["cpu", "in"])
                #expect(histories.map(\.isRate) == [false, true])
                #expect(histories.map(\.unit) == ["%", "bps"])
                let samples = histories.map { $0.points.reduce(0) { $0 + $1.samples } }
                let expected = try await db.strings(
                    """
                    SELECT count(*)::text FROM item_history WHERE device_id = '\(fixture.devices[0].uuid)'
                        AND error IS NULL AND timestamp < '\(Self.base.addingTimeInterval(span).formatted(.iso8601))'
                        AND (rate IS NOT NULL OR value_type NOT LIKE 'counter%')
                    GROUP BY value_type ORDER BY value_type DESC
                    """)
                #expect(samples.map(String.init) == expected, "span \(span)")
                #expect(histories[1].points.allSatisfy { ($0.max ?? 0) < 100_000 }, "rates, not counter values")
            }
        }
    }

    @Test("a branch's summary lists every device, silent ones with no figures")
    func branchSummary() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let fixture = try await Self.prepared(db)
            for span: TimeInterval in [3_600, 86_400, 30 * 86_400] {
                let summary = try await Self.store.branchSummary(
                    branch: fixture.branch, from: Self.base, to: Self.base.addingTimeInterval(span), on: db)
                #expect(summary.map(\.name) == ["dev0", "dev1", "dev2"])
                #expect(summary[2].samples == 0)
                #expect(summary[2].availabilityPercent == nil)
                #expect(summary[0].samples == Int(min(span, 3 * 3_600) / 10))
                let availability = try #require(summary[0].availabilityPercent)
                #expect(availability > 80 && availability < 90, "one round in 7 unreachable: \(availability)")
                #expect((summary[0].lossPercent ?? 0) > 0)
                #expect(summary[0].avgRTT != nil && summary[0].maxRTT! >= summary[0].avgRTT!)
            }
        }
    }

    @Test("a range the window refuses is an input error")
    func refusedRange() async throws {
        _ = try await TestDatabase.withMigrated { db, _ in
            await #expect(throws: InputError.self) {
                _ = try await Self.store.pingHistory(device: UUID(), from: Self.base, to: Self.base, on: db)
            }
        }
    }
}
