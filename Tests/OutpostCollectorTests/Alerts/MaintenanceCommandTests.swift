import Foundation
import OutpostCore
import OutpostTestSupport
import PostgresNIO
import Testing

/// `outpost-collector maintenance …`, run as the real binary.
extension AlertEngineTests {
    @Test(
        "maintenance: `outpost-collector maintenance add/list/end` adds, lists (active now) and ends windows, audited")
    func maintenanceCommand() async throws {
        try await Self.withFleet { db, database, _ in
            let url =
                "postgres://\(database.url.username)@\(database.url.host):\(database.url.port)/\(database.url.database)"
            func run(_ arguments: [String]) async throws -> String {
                try await Command.output(
                    try BuiltProduct.collector, ["maintenance"] + arguments + ["--database-url", url])
            }
            func refusal(_ arguments: [String]) async -> String {
                do {
                    return "accepted: " + (try await run(arguments))
                } catch {
                    return "\(error)"
                }
            }
            let added = try await run(["add", "router swap", "--device", "router-a", "--duration", "2h"])
            #expect(added.contains("added: router swap"))
            let id = try #require(
                try await db.strings("SELECT id::text FROM maintenance_windows WHERE name = 'router swap'").first)
            #expect(added.contains(id))
            #expect(
                try await db.strings(
                    "SELECT (ends_at - starts_at)::text || '|' || (SELECT name FROM standalone_devices WHERE id = device_id) FROM maintenance_windows JOIN maintenance_window_targets ON window_id = id"
                ) == ["02:00:00|router-a"])
            _ = try await run([
                "add", "nightly", "--branch", "b", "--start", "2026-03-10T00:00:00Z", "--schedule", "0 22 * * *",
                "--duration", "4h", "--comment", "backups",
            ])

            let list = try await run(["list"])
            let swap = try #require(list.split(separator: "\n").first { $0.contains("router swap") })
            #expect(swap.contains(id) && swap.contains("devices router-a") && swap.hasSuffix("yes"))
            let nightly = try #require(list.split(separator: "\n").first { $0.contains("nightly") })
            #expect(nightly.contains("'0 22 * * *' for 4h from 2026-03-10T00:00:00Z") && nightly.contains("branches b"))
            #expect(list.split(separator: "\n").first?.hasPrefix("ID") == true)

            #expect(
                await refusal(["add", "x", "--branch", "nowhere", "--duration", "1h"]).contains(
                    "branch_names: no branch \"nowhere\""))
            #expect(
                await refusal(["add", "x", "--device", "ghost", "--duration", "1h"]).contains(
                    "--device: no device named \"ghost\""))
            #expect(await refusal(["add", "x", "--device", "router-a", "--duration", "2x"]).contains("--duration"))
            #expect(
                await refusal(["add", "x", "--device", "router-a", "--start", "tomorrow", "--duration", "1h"])
                    .contains("--start"))
            #expect(await refusal(["add", "x", "--region", "Adjara"]).contains("needs --end or --duration"))
            #expect(
                await refusal(["add", "x", "--device", "router-a", "--schedule", "0 25 * * *", "--duration", "1h"])
                    .contains("schedule: hour"))

            #expect(try await run(["end", id]).contains("ended at"))
            #expect(!(try await run(["list"])).contains("router swap"))
            #expect(try await run(["list", "--all"]).contains("(ended "))
            #expect(await refusal(["end", id]).contains("already ended"))
            #expect(await refusal(["end", "42"]).contains("not a maintenance window id"))
            #expect(
                try await db.strings("SELECT action FROM audit_log WHERE actor LIKE 'cli:%' ORDER BY id")
                    == ["create", "create", "end"])
        }
    }
}
