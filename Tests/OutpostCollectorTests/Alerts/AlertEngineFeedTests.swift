import Foundation
import OutpostCollector
import OutpostCore
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

/// How the engine is fed and configured: item samples, the bounded hook, rule reloads, the CLI.
extension AlertEngineTests {
    @Test("an SNMP item's samples are a variable under the item's name")
    func itemSamples() async throws {
        try await Self.withFleet { db, database, fleet in
            let item = UUID()
            try await db.query(
                """
                INSERT INTO monitoring_items (id, device_id, oid_name, oid, value_type) VALUES (\(item), \(fleet.a.uuid), 'cpu', '1.3.6.1.4.1.9.2.1.57.0', 'gauge32')
                """, logger: TestDatabase.logger)
            try await Self.addRule(db, name: "cpu", expression: "avg(cpu, 5m) > 90")
            try await Self.withEngine(database.url) { pipeline, engine in
                let start = Date()
                func sample(_ sequence: Int, _ value: UInt32, at offset: Double) -> IngestBatch {
                    IngestBatch(
                        agentID: fleet.agent, sequence: BatchSequence(UInt64(sequence)),
                        samples: [
                            ItemSample(
                                itemID: ItemID(item), deviceID: fleet.a, timestamp: start.addingTimeInterval(offset),
                                value: .gauge32(value))
                        ])
                }
                _ = try await pipeline.submit(sample(1, 80, at: 0))
                _ = try await pipeline.submit(sample(2, 99, at: 60))
                #expect(try await eventually(within: .seconds(10)) { engine.evaluatedCommits == 2 })
                #expect(try await db.integer("SELECT count(*) FROM alert_history") == 0)  // avg 89.5
                _ = try await pipeline.submit(sample(3, 99, at: 120))
                #expect(try await Self.historyReaches(1, on: db))
                #expect(try await db.strings("SELECT value FROM alert_history") == ["99"])
            }
        }
    }

    @Test("an engine that does not keep up drops and counts committed batches; ingest never waits for it")
    func boundedHook() async throws {
        try await Self.withFleet { db, database, fleet in
            let client = PostgresClient(
                configuration: database.url.clientConfiguration, backgroundLogger: TestDatabase.logger)
            var configuration = AlertEngine.Configuration()
            configuration.bufferedCommits = 2
            // Never run: nothing consumes its buffer.
            let engine = try AlertEngine(client: client, configuration: configuration, logger: TestDatabase.logger)
            let pipeline = IngestPipeline(
                database: database.url, logger: TestDatabase.logger, committed: engine.observe)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await pipeline.run() }
                defer { group.cancelAll() }
                for sequence in 1...5 {
                    let disposition = try await pipeline.submit(
                        Self.round(fleet, sequence, devices: [fleet.a], reachable: false, at: Date()))
                    #expect(disposition == .committed)
                }
            }
            #expect(engine.droppedCommits == 3)
            #expect(try await db.integer("SELECT count(*) FROM ping_results") == 5)
        }
    }

    @Test("a rule added while the engine runs is used after the next periodic reload")
    func reload() async throws {
        try await Self.withFleet { db, database, fleet in
            var configuration = AlertEngine.Configuration()
            configuration.reloadInterval = .milliseconds(100)
            try await Self.withEngine(database.url, configuration: configuration) { pipeline, engine in
                _ = try await pipeline.submit(Self.round(fleet, 1, devices: [fleet.a], reachable: false, at: Date()))
                #expect(try await eventually(within: .seconds(10)) { engine.evaluatedCommits == 1 })
                #expect(try await db.integer("SELECT count(*) FROM alert_history") == 0)
                try await Self.addRule(db, name: "loss", expression: "packet_loss > 50")
                var sequence = 1
                #expect(
                    try await eventually(within: .seconds(10)) {
                        sequence += 1
                        _ = try await pipeline.submit(
                            Self.round(fleet, sequence, devices: [fleet.a], reachable: false, at: Date()))
                        return try await db.integer("SELECT count(*) FROM alert_history") == 1
                    })
            }
        }
    }

    @Test("a change to alert_rules is picked up at once through NOTIFY, long before the periodic reload")
    func reloadOnNotify() async throws {
        try await Self.withFleet { db, database, fleet in
            try await Self.addRule(db, name: "loss", expression: "packet_loss > 50 AND FALSE")
            var configuration = AlertEngine.Configuration()
            configuration.reloadInterval = .seconds(3_600)
            try await Self.withEngine(database.url, configuration: configuration) { pipeline, _ in
                var sequence = 0
                // The listener may not be established yet at the first update: each try notifies again.
                let fired = try await eventually(within: .seconds(10)) {
                    try await db.query(
                        "UPDATE alert_rules SET expression = 'packet_loss > 50'", logger: TestDatabase.logger)
                    sequence += 1
                    _ = try await pipeline.submit(
                        Self.round(fleet, sequence, devices: [fleet.a], reachable: false, at: Date()))
                    return try await db.integer("SELECT count(*) FROM alert_history") == 1
                }
                #expect(fired)
            }
        }
    }

    @Test("`outpost-collector alerts check` lists the rules that do not parse, with the position, and exits 1")
    func checkCommand() async throws {
        try await TestDatabase.withMigrated { db, database in
            try await Self.addRule(db, name: "fine", expression: "ping_unreachable >= 5")
            try await Self.addRule(db, name: "broken", expression: "avg_ping_ms > ")
            let url =
                "postgres://\(database.url.username)@\(database.url.host):\(database.url.port)/\(database.url.database)"
            var output = ""
            do {
                try await Command.output(try BuiltProduct.collector, ["alerts", "check", "--database-url", url])
                Issue.record("alerts check exited 0 with a broken rule")
            } catch let error as TestEnvironmentError {
                output = error.description
            }
            #expect(output.contains("broken"))
            #expect(output.contains("expected a number after '>', found the end of the rule at column 15"))
            #expect(output.contains("1 enabled rule parses, 1 skipped"))
            try await db.query(
                "UPDATE alert_rules SET enabled = false WHERE name = 'broken'", logger: TestDatabase.logger)
            let clean = try await Command.output(
                try BuiltProduct.collector, ["alerts", "check", "--database-url", url])
            #expect(clean.contains("1 enabled rule parses, 0 skipped"))
        }
    }
}
