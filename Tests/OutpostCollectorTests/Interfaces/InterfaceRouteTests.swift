import Foundation
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostCollectorTestSupport

/// `GET /api/v1/devices/{id}/interfaces` and the ISP flag over real HTTP.
@Suite("Management API: device interfaces", .tags(.postgres), .needsPostgres)
struct InterfaceRouteTests {
    @Test("interfaces in snake_case; the ISP flag is set, cleared, validated and limited to the operator's regions")
    func interfacesAndISPFlag() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            try await db.execute(
                """
                INSERT INTO branches (name, display_name, region)
                VALUES ('telavi', 'Telavi', 'Kakheti'), ('kutaisi', 'Kutaisi', 'Imereti')
                """)
            let telavi = try await db.strings("SELECT id::text FROM branches WHERE name = 'telavi'")[0]
            let kutaisi = try await db.strings("SELECT id::text FROM branches WHERE name = 'kutaisi'")[0]
            let router = try await Fixture.device(
                "rtr-telavi", ip: "10.1.0.5", branch: UUID(uuidString: telavi), on: db)
            let other = try await Fixture.device(
                "rtr-kutaisi", ip: "10.2.0.5", branch: UUID(uuidString: kutaisi), on: db)
            try await db.execute(
                """
                INSERT INTO device_interfaces (device_id, if_index, name, alias, oper_status, speed_bps, in_bps,
                    in_utilisation_percent, isp_provider)
                VALUES ('\(router)', 2, 'Gi0/1', 'MAGTI 100M', 'up', 100000000, 25000000, 25, 'Magti'),
                       ('\(router)', 3, 'Gi0/2', 'LAN', 'down', 1000000000, NULL, NULL, NULL)
                """)
            let admin = try await OperatorAccounts.admin(http, on: db)
            let list = try await admin.get("/api/v1/devices/\(router)/interfaces")
            #expect(list.status == 200, "\(list.text)")
            let rows = try list.list("interfaces")
            #expect(rows.map { $0["if_index"] as? Int } == [2, 3])
            #expect(rows.first?["is_isp_link"] as? Bool == true && rows.first?["isp_provider"] as? String == "Magti")
            #expect(rows.first?["in_utilisation_percent"] as? Double == 25)
            #expect(rows.last?["is_isp_link"] as? Bool == false && rows.last?["oper_status"] as? String == "down")

            let flag = "/api/v1/devices/\(router)/interfaces/3/isp"
            let set = try await admin.send("PUT", flag, json: ["isp_override": true])
            #expect(set.status == 200, "\(set.text)")
            #expect(try set.list("interfaces").last?["is_isp_link"] as? Bool == true)
            let cleared = try await admin.send("PUT", flag, json: ["isp_override": NSNull()])
            #expect(try cleared.list("interfaces").last?["isp_override"] == nil)
            #expect(try await admin.send("PUT", flag, json: [String: Any]()).status == 400)
            #expect(try await admin.send("PUT", flag, json: ["isp_override": "yes"]).status == 400)
            #expect(
                try await admin.send("PUT", "/api/v1/devices/\(router)/interfaces/9/isp", json: ["isp_override": true])
                    .status == 404)
            #expect(
                try await admin.send("PUT", "/api/v1/devices/\(router)/interfaces/-1/isp", json: ["isp_override": true])
                    .status == 404)
            #expect(
                try await admin.send(
                    "PUT", "/api/v1/devices/\(router)/interfaces/99999999999/isp", json: ["isp_override": true]
                ).status == 404)
            #expect(try await db.integer("SELECT count(*) FROM audit_log WHERE entity = 'interface'") == 2)

            let manager = http.with(
                token: try await OperatorAccounts.add("kakheti", role: .regionalManager, regions: ["Kakheti"], on: db)
                    .token)
            #expect(try await manager.get("/api/v1/devices/\(router)/interfaces").status == 200)
            #expect(try await manager.get("/api/v1/devices/\(other)/interfaces").status == 404)
            #expect(
                try await manager.send("PUT", "/api/v1/devices/\(other)/interfaces/2/isp", json: ["isp_override": true])
                    .status == 404)
            let viewer = http.with(token: try await OperatorAccounts.add("v", role: .viewer, on: db).token)
            #expect(try await viewer.send("PUT", flag, json: ["isp_override": true]).status == 403)
        }
    }
}
