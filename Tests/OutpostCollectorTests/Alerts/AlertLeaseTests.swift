import Foundation
import OutpostCollector
import OutpostCore
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

/// Several collectors on one database: each branch's pairs are evaluated by one of them.
extension AlertEngineTests {
    @Test(
        "two engines fed the same commits: one alert_history row per (rule, device); when the holder stops, the other continues its episodes"
    )
    func twoEnginesOneDatabase() async throws {
        try await Self.withFleet { db, database, fleet in
            try await Self.addRule(db, name: "loss", expression: "packet_loss > 50")
            let client = PostgresClient(
                configuration: database.url.clientConfiguration, backgroundLogger: TestDatabase.logger)
            func engine(_ name: String) throws -> AlertEngine {
                var configuration = AlertEngine.Configuration()
                configuration.instanceName = name
                configuration.leaseDuration = .seconds(2)
                return try AlertEngine(client: client, configuration: configuration, logger: TestDatabase.logger)
            }
            let one = try engine("collector-1")
            let two = try engine("collector-2")
            try await withThrowingTaskGroup(of: Void.self) {
                (group: inout ThrowingTaskGroup<Void, any Error>) async throws -> Void in
                group.addTask { await client.run() }
                defer { group.cancelAll() }
                let start = Date()
                func batch(_ reachable: Bool, at offset: Double) -> [IngestBatch] {
                    [
                        Self.round(
                            fleet, 1, devices: [fleet.a, fleet.b], reachable: reachable,
                            at: start.addingTimeInterval(offset))
                    ]
                }
                let first = Task { try await one.run() }
                one.observe(batch(false, at: 0))
                #expect(try await eventually(within: .seconds(10)) { one.evaluatedCommits == 1 })
                #expect(try await db.integer("SELECT count(*) FROM alert_history") == 2)

                group.addTask { try await two.run() }
                one.observe(batch(false, at: 10))
                two.observe(batch(false, at: 10))
                #expect(
                    try await eventually(within: .seconds(10)) {
                        one.evaluatedCommits == 2 && two.evaluatedCommits == 1
                    })
                #expect(try await db.integer("SELECT count(*) FROM alert_history") == 2)
                #expect(try await db.strings("SELECT DISTINCT owner FROM alert_leases") == ["collector-1"])

                // The holder stops; once its leases expire the other takes them over, reads the
                // open episodes and resolves them instead of opening new ones.
                first.cancel()
                _ = await first.result
                var offset = 20.0
                #expect(
                    try await eventually(within: .seconds(15)) {
                        offset += 1
                        two.observe(batch(true, at: offset))
                        try await Task.sleep(for: .milliseconds(200))
                        return try await db.integer("SELECT count(*) FROM alert_history WHERE resolved_at IS NOT NULL")
                            == 2
                    })
                #expect(try await db.integer("SELECT count(*) FROM alert_history") == 2)
                #expect(try await db.strings("SELECT DISTINCT owner FROM alert_leases") == ["collector-2"])
            }
        }
    }
}
