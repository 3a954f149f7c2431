import Foundation
import OutpostTestSupport
import Testing

/// `outpost-collector agents list`, run as the real binary.
@Suite("outpost-collector agents list", .tags(.postgres), .needsPostgres)
struct AgentsCommandTests {
    @Test("each agent has a health line: version, memory, spool, drops, overruns, CANNOT FIT; none before a report")
    func healthLines() async throws {
        try await TestDatabase.withMigrated { db, database in
            let url =
                "postgres://\(database.url.username)@\(database.url.host):\(database.url.port)/\(database.url.database)"
            let branch = try await Fixture.branch("telavi", on: db)
            let (reporting, silent) = (UUID(), UUID())
            try await Fixture.agent(reporting, serial: "aa01", branch: branch, on: db)
            try await Fixture.agent(silent, serial: "bb02", branch: branch, on: db)
            try await db.execute(
                """
                INSERT INTO agent_health (agent_id, received_at, agent_version, resident_bytes, anonymous_bytes, spool_bytes,
                                          spool_pending_batches, spool_dropped_batches, spool_dropped_results,
                                          rounds_overrun, icmp_demand_pps, icmp_ceiling_pps)
                VALUES ('\(reporting.uuidString.lowercased())', '2026-12-07 10:00:00+00', 'outpost-agent/0.1', 43620761,
                        20971520, 3145728, 3, 2, 2000, 5, 5000, 2000)
                """)
            let output = try await Command.run(
                try BuiltProduct.collector, ["agents", "list", "--database-url", url],
                environment: ["TZ": "Asia/Tbilisi"])
            #expect(output.status == 0, "\(output.combined)")
            let lines = output.standardOutput.split(separator: "\n").map(String.init)
            let reportingAt = try #require(lines.firstIndex { $0.hasPrefix(reporting.uuidString.lowercased()) })
            let health = lines[reportingAt + 1]
            #expect(health.hasPrefix("    health at 2026-12-07T14:00:00+04"), "in the local zone: \(health)")
            for part in [
                "outpost-agent/0.1", "RSS 41.6 MiB (anon 20.0 MiB)", "spool 3 batches pending, 3.0 MiB on disk",
                "dropped 2 batches (2000 results)", "5 rounds overrun", "ICMP 5000 of 2000 packets/s CANNOT FIT",
            ] {
                #expect(health.contains(part), "\(health)")
            }
            let silentAt = try #require(lines.firstIndex { $0.hasPrefix(silent.uuidString.lowercased()) })
            #expect(lines[silentAt + 1] == "    health: none reported")
        }
    }
}
