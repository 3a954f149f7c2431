import Foundation
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@Suite("Device inventory: list, search and pages", .tags(.postgres), .needsPostgres)
struct DeviceListTests {
    let inventory = DeviceInventory(logger: TestDatabase.logger)

    /// 40 devices over three branches in two regions and none: repeated names, IPs, names that
    /// differ only in case, and repeated change times.
    static func addInventory(_ db: PostgresConnection) async throws {
        try await db.execute(
            """
            INSERT INTO branches (name, display_name, region) VALUES
                ('tbilisi-1', 'Tbilisi 1', 'Tbilisi'), ('tbilisi-2', 'Tbilisi 2', 'Tbilisi'),
                ('batumi-1', 'Batumi 1', 'Adjara')
            """)
        try await db.execute(
            """
            INSERT INTO standalone_devices (name, ip, hostname, device_type, enabled, branch_id, created_at, updated_at)
            SELECT CASE WHEN g % 7 = 0 THEN 'Router-' ELSE 'router-' END || (g % 9),
                   '10.0.' || (g % 3) || '.' || (g % 11),
                   CASE WHEN g % 5 = 0 THEN 'host' || g || '.example' END,
                   CASE WHEN g % 2 = 0 THEN 'switch' ELSE 'router' END,
                   g % 4 <> 0,
                   (SELECT id FROM branches ORDER BY name OFFSET g % 4 LIMIT 1),
                   timestamptz '2026-01-01' + (g % 6) * interval '1 hour',
                   CASE WHEN g % 3 = 0 THEN timestamptz '2026-02-01' + (g % 5) * interval '1 minute' END
            FROM generate_series(1, 40) g
            """)
    }

    /// Every device of `query`, page by page; the number of pages.
    func walk(_ query: DeviceQuery, on db: PostgresConnection) async throws -> (ids: [UUID], pages: Int) {
        var query = query
        var ids: [UUID] = []
        var pages = 0
        repeat {
            let page = try await inventory.list(query, on: db)
            ids += page.devices.map(\.id)
            pages += 1
            query.cursor = page.nextCursor
        } while query.cursor != nil && pages < 100
        return (ids, pages)
    }

    @Test("pages visit every device exactly once, in order, in each sort order and direction")
    func pagination() async throws {
        try await TestDatabase.withMigrated { db, _ in
            try await Self.addInventory(db)
            for sort in DeviceSort.allCases {
                for descending in [false, true] {
                    let (ids, pages) = try await walk(
                        DeviceQuery(sort: sort, descending: descending, limit: 7), on: db)
                    #expect(ids.count == 40 && Set(ids).count == 40, "\(sort) \(descending)")
                    #expect(pages == 6, "\(sort) \(descending)")
                    let (all, _) = try await walk(DeviceQuery(sort: sort, descending: descending, limit: 1000), on: db)
                    #expect(ids == all, "pages of 7 in the order of one page: \(sort) \(descending)")
                }
            }
            // The order of a whole page is the documented one.
            let byName = try await inventory.list(DeviceQuery(limit: 1000), on: db).devices.map(\.name)
            #expect(byName.map { $0.lowercased() } == byName.map { $0.lowercased() }.sorted())
            let byBranch = try await inventory.list(DeviceQuery(sort: .branch, limit: 1000), on: db).devices
            #expect(byBranch.first?.branchName == nil)
            #expect(byBranch.compactMap(\.branchName) == byBranch.compactMap(\.branchName).sorted())
            let byUpdated = try await inventory.list(DeviceQuery(sort: .updated, descending: true, limit: 1000), on: db)
                .devices.map { $0.updatedAt ?? $0.createdAt }
            #expect(byUpdated == byUpdated.sorted(by: >))
        }
    }

    @Test("filters: search in name, IP, hostname and branch; branch; enabled; type; regions")
    func filters() async throws {
        try await TestDatabase.withMigrated { db, _ in
            try await Self.addInventory(db)
            func count(_ query: DeviceQuery) async throws -> Int {
                try await walk(query, on: db).ids.count
            }
            func expected(_ condition: String) async throws -> Int {
                try await db.integer(
                    "SELECT count(*) FROM standalone_devices d LEFT JOIN branches b ON b.id = d.branch_id WHERE \(condition)"
                )
            }
            #expect(try await count(DeviceQuery(search: "ROUTER-3")) == expected("lower(d.name) = 'router-3'"))
            #expect(try await count(DeviceQuery(search: "10.0.2.")) == expected("d.ip LIKE '10.0.2.%'"))
            #expect(try await count(DeviceQuery(search: "HOST1")) == expected("d.hostname LIKE 'host1%'"))
            #expect(try await count(DeviceQuery(search: "batumi")) == expected("b.name = 'batumi-1'"))
            #expect(try await count(DeviceQuery(search: "%")) == 0, "no wildcard")
            #expect(try await count(DeviceQuery(search: "")) == 40)
            #expect(try await count(DeviceQuery(branch: "tbilisi-2")) == expected("b.name = 'tbilisi-2'"))
            #expect(try await count(DeviceQuery(enabled: false)) == expected("NOT d.enabled"))
            #expect(try await count(DeviceQuery(deviceType: "switch")) == 20)
            #expect(try await count(DeviceQuery(regions: ["Tbilisi"])) == expected("b.region = 'Tbilisi'"))
            #expect(try await count(DeviceQuery(regions: ["Adjara", "Tbilisi"])) == expected("b.id IS NOT NULL"))
            #expect(try await count(DeviceQuery(regions: [])) == 0)
            let scoped = try await walk(DeviceQuery(search: "router", regions: ["Adjara"], limit: 3), on: db).ids
            #expect(scoped.count == (try await expected("b.region = 'Adjara'")))
        }
    }

    @Test("a forged, altered or foreign cursor and an out-of-range limit are refused as input")
    func refusedCursors() async throws {
        try await TestDatabase.withMigrated { db, _ in
            try await Self.addInventory(db)
            let first = try await inventory.list(DeviceQuery(sort: .updated, limit: 5), on: db)
            let cursor = try #require(first.nextCursor)
            func field(_ query: DeviceQuery) async -> String? {
                do {
                    _ = try await inventory.list(query, on: db)
                    return nil
                } catch let error as InputError {
                    return error.field
                } catch {
                    return "\(error)"
                }
            }
            func base64(_ json: String) -> String { Data(json.utf8).base64EncodedString() }
            let id = UUID().uuidString
            let forged = [
                "not a cursor", "", "////", base64("{}"), base64("[1,2]"),
                base64(#"{"s":"updated","d":false,"k":["yesterday"],"i":"\#(id)"}"#),
                base64(#"{"s":"updated","d":false,"k":["1","2"],"i":"\#(id)"}"#),
                base64(#"{"s":"updated","d":false,"k":["99999999999999999999"],"i":"\#(id)"}"#),
                base64(#"{"s":"updated","d":false,"k":["1"],"i":"not-a-uuid"}"#),
                base64(#"{"s":"bogus","d":false,"k":["1"],"i":"\#(id)"}"#),
                String(repeating: "A", count: 5000),
            ]
            for text in forged {
                #expect(await field(DeviceQuery(sort: .updated, limit: 5, cursor: text)) == "cursor", "\(text)")
            }
            #expect(await field(DeviceQuery(sort: .name, limit: 5, cursor: cursor)) == "cursor")
            #expect(await field(DeviceQuery(sort: .updated, descending: true, limit: 5, cursor: cursor)) == "cursor")
            let nul = base64(#"{"s":"name","d":false,"k":["a\u0000"],"i":"\#(id)"}"#)
            #expect(await field(DeviceQuery(sort: .name, limit: 5, cursor: nul)) == "cursor")
            // A well-formed cursor of no device still only positions the page.
            let stranger = base64(#"{"s":"name","d":false,"k":["router-4"],"i":"\#(id)"}"#)
            #expect(await field(DeviceQuery(sort: .name, limit: 5, cursor: stranger)) == nil)
            #expect(await field(DeviceQuery(sort: .updated, limit: 5, cursor: cursor)) == nil)
            #expect(await field(DeviceQuery(limit: 0)) == "limit")
            #expect(await field(DeviceQuery(limit: 1001)) == "limit")
            #expect(await field(DeviceQuery(search: String(repeating: "s", count: 201))) == "search")
            #expect(await field(DeviceQuery(regions: [""])) == "regions")
        }
    }
}
