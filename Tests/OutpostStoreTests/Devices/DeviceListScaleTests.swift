import Foundation
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

/// Alone (tagged .timing): it measures, and the other suites would add their load to it. The
/// figure the inventory is held to (< 50 ms) is measured separately; this bound catches a
/// query that scans or sorts far more than it should.
@Suite("Device inventory at scale", .tags(.postgres, .timing), .needsPostgres)
struct DeviceListScaleTests {
    let inventory = DeviceInventory(logger: TestDatabase.logger)

    @Test("at 10,000 devices a first page and a search answer well within bounds")
    func tenThousand() async throws {
        try await TestDatabase.withMigrated { db, _ in
            try await db.execute(
                """
                INSERT INTO branches (name, display_name, region)
                SELECT 'branch-' || g, 'Branch ' || g, 'region-' || (g % 10) FROM generate_series(1, 300) g
                """)
            try await db.execute(
                """
                INSERT INTO standalone_devices (name, ip, hostname, branch_id)
                SELECT 'device-' || g, '10.' || (g / 65536) || '.' || (g / 256 % 256) || '.' || (g % 256),
                       'host-' || g || '.example', b.id
                FROM generate_series(1, 10000) g JOIN branches b ON b.name = 'branch-' || (g % 300 + 1)
                """)
            try await db.execute("ANALYZE standalone_devices")
            try await db.execute("ANALYZE branches")
            let queries = [
                DeviceQuery(), DeviceQuery(sort: .ip), DeviceQuery(sort: .branch), DeviceQuery(sort: .updated),
                DeviceQuery(search: "host-99"), DeviceQuery(search: "branch-17", regions: ["region-7"]),
            ]
            for query in queries {
                _ = try await inventory.list(query, on: db)  // warm
                let clock = ContinuousClock()
                var page = DevicePage(devices: [], nextCursor: nil)
                let elapsed = try await clock.measure { page = try await inventory.list(query, on: db) }
                #expect(!page.devices.isEmpty)
                #expect(elapsed < .milliseconds(500), "\(query): \(elapsed)")
                if let cursor = page.nextCursor {
                    var next = query
                    next.cursor = cursor
                    let later = try await clock.measure { _ = try await inventory.list(next, on: db) }
                    #expect(later < .milliseconds(500), "\(query), second page: \(later)")
                }
            }
        }
    }
}
