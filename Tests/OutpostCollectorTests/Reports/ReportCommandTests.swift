import Foundation
import OutpostTestSupport
import Testing

@testable import OutpostCollectorTestSupport

/// `outpost-collector report availability`, run as the real binary.
@Suite("Report command", .tags(.postgres), .needsPostgres)
struct ReportCommandTests {
    @Test("table, CSV and JSON in the zone given; bad options refused naming them")
    func availability() async throws {
        try await TestDatabase.withMigrated { db, database in
            let range = try await ReportRouteTests.fixture(db)
            let times = range.split(separator: "&").map { String($0.split(separator: "=")[1]) }
            let url =
                "postgres://\(database.url.username)@\(database.url.host):\(database.url.port)/\(database.url.database)"
            let collector = try BuiltProduct.collector
            @Sendable func run(_ arguments: [String]) async throws -> Command.Output {
                try await Command.run(
                    collector, ["report", "availability"] + arguments + ["--database-url", url], environment: [:])
            }
            let table = try await run([
                "--from", times[0], "--to", times[1], "--by", "region", "--zone", "Asia/Tbilisi", "--outages",
            ])
            #expect(table.status == 0, "\(table.combined)")
            #expect(table.standardOutput.contains("(Asia/Tbilisi), by region"))
            let imereti = try #require(table.standardOutput.split(separator: "\n").first { $0.hasPrefix("Imereti") })
            #expect(imereti.contains("75.000%"))
            #expect(imereti.contains("30m"))
            #expect(table.standardOutput.contains("rt-kutaisi"))

            let csv = try await run(["--from", times[0], "--to", times[1], "--format", "csv"])
            #expect(csv.standardOutput.hasPrefix("group,name,devices,availability_percent"))
            #expect(csv.standardOutput.split(separator: "\n").count == 3)
            let outages = try await run([
                "--from", times[0], "--to", times[1], "--format", "csv", "--outages", "--zone", "UTC",
            ])
            #expect(outages.standardOutput.contains("rt-kutaisi"))
            #expect(outages.standardOutput.contains("Z,"))
            let json = try await run(["--from", times[0], "--to", times[1], "--format", "json"])
            let decoded = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any]
            #expect((decoded?["rows"] as? [Any])?.count == 2)
            #expect((decoded?["outages"] as? [Any])?.count == 0)
            let listed = try await run(["--from", times[0], "--to", times[1], "--format", "json", "--outages"])
            let withOutages = try JSONSerialization.jsonObject(with: Data(listed.standardOutput.utf8)) as? [String: Any]
            #expect((withOutages?["outages"] as? [Any])?.count == 1)

            let badGrouping = try await run(["--from", "2026-11-01", "--to", "2026-12-01", "--by", "site"])
            #expect(badGrouping.status != 0)
            #expect(badGrouping.standardError.contains("--by"))
            let reversed = try await run(["--from", "2026-12-01", "--to", "2026-11-01"])
            #expect(reversed.standardError.contains("--from: must be before to"))
            let notADate = try await run(["--from", "2026-02-30", "--to", "2026-03-01"])
            #expect(notADate.standardError.contains("--from"))
            let badZone = try await run(["--from", "2026-11-01", "--to", "2026-12-01", "--zone", "Mars/Olympus"])
            #expect(badZone.standardError.contains("--zone"))
        }
    }
}
