import Foundation
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

/// `outpost-collector devices …`, run as the real binary.
extension DeviceCSVImportTests {
    @Test("`devices import --csv FILE`: refused rows listed with exit 1; --dry-run applies nothing; export and list")
    func importCommand() async throws {
        try await TestDatabase.withMigrated { db, database in
            try await Self.addInventory(db)
            let url =
                "postgres://\(database.url.username)@\(database.url.host):\(database.url.port)/\(database.url.database)"
            try await withTemporaryDirectory { directory in
                let file = directory + "/devices.csv"
                func devices(_ arguments: [String]) async throws -> Command.Output {
                    try await Command.run(
                        try BuiltProduct.collector, ["devices"] + arguments + ["--database-url", url])
                }
                try "branch,name,ip\ntbilisi-1,a,10.1.0.5\ntbilisi-1,b,not-an-ip\nnowhere,c,10.1.0.6\n"
                    .write(toFile: file, atomically: true, encoding: .utf8)
                let refused = try await devices(["import", "--csv", file])
                #expect(refused.status == 1)
                #expect(refused.standardOutput.contains("1 to create, 0 to update, 0 unchanged, 2 refused"))
                #expect(refused.standardOutput.contains(#"line 3: ip: "not-an-ip" is not an IPv4 or IPv6 address"#))
                #expect(refused.standardOutput.contains(#"line 4: branch: no branch named "nowhere""#))
                #expect(try await db.integer("SELECT count(*) FROM standalone_devices") == 2)

                try "branch,name,ip,vendor\ntbilisi-1,a,10.1.0.5,\ntbilisi-1,core,10.1.0.1,Arista\n"
                    .write(toFile: file, atomically: true, encoding: .utf8)
                let dryRun = try await devices(["import", "--csv", file, "--dry-run"])
                #expect(dryRun.status == 0, "\(dryRun.combined)")
                #expect(dryRun.standardOutput.contains("1 to create, 1 to update, 0 unchanged, 0 refused"))
                #expect(dryRun.standardOutput.contains("line 3: update core: vendor"))
                #expect(try await db.integer("SELECT count(*) FROM standalone_devices") == 2)

                let applied = try await devices(["import", "--csv", file])
                #expect(applied.status == 0, "\(applied.combined)")
                #expect(applied.standardOutput.contains("applied: 1 created, 1 updated, 0 unchanged"))
                #expect(try await db.strings("SELECT vendor FROM standalone_devices WHERE name = 'core'") == ["Arista"])
                #expect(
                    try await db.strings("SELECT DISTINCT actor FROM audit_log WHERE action = 'import'").map {
                        $0.hasPrefix("cli:")
                    } == [true])

                let exported = try await devices(["export", "--csv", "--branch", "tbilisi-1"])
                #expect(exported.status == 0)
                #expect(
                    exported.standardOutput.split(separator: "\n").map {
                        $0.split(separator: ",").prefix(3).joined(separator: ",")
                    }
                        == ["branch,name,ip", "tbilisi-1,a,10.1.0.5", "tbilisi-1,core,10.1.0.1"])
                let listed = try await devices(["list", "--search", "10.1.0"])
                #expect(listed.status == 0)
                #expect(listed.standardOutput.contains("2 devices"))
                #expect(listed.standardOutput.split(separator: "\n").first?.hasPrefix("NAME") == true)
            }
        }
    }
}
