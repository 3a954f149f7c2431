import Foundation
import OutpostCore
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostCollectorTestSupport

/// `GET /api/v1/topology?branch=` over real HTTP (`docs/topology.md`).
@Suite("Management API: topology", .tags(.postgres), .needsPostgres)
struct TopologyRouteTests {
    @Test("nodes with their parents and active edges, by branch name or id; regions limit it; bad input is refused")
    func topology() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            try await db.execute(
                """
                INSERT INTO branches (name, display_name, region)
                VALUES ('telavi', 'Telavi', 'Kakheti'), ('kutaisi', 'Kutaisi', 'Imereti')
                """)
            let telavi = UUID(
                uuidString: try await db.strings("SELECT id::text FROM branches WHERE name = 'telavi'")[0])!
            let router = try await Fixture.device("rtr-telavi", ip: "10.1.0.1", branch: telavi, on: db)
            let sw = try await Fixture.device("sw-telavi", ip: "10.1.0.2", branch: telavi, on: db)
            try await db.execute("UPDATE branches SET gateway_device_id = '\(router)' WHERE name = 'telavi'")
            let writer = NeighbourWriter(logger: TestDatabase.logger)
            try await writer.write(
                NeighbourReport(
                    deviceID: router, observedAt: Date(),
                    neighbours: [
                        NeighbourReport.Neighbour(
                            protocolName: "lldp", localPort: "eth1", localPortNumber: 2,
                            remoteChassisID: "0a:00:00:00:00:02", remotePort: "eth0", remoteSysName: "sw-telavi",
                            managementAddress: "10.1.0.2"),
                        NeighbourReport.Neighbour(
                            protocolName: "cdp", localPort: "Gi0/3", localPortNumber: 3, remoteChassisID: "phone-7",
                            remotePort: "Port 1", remoteSysName: nil, managementAddress: nil),
                    ]), branch: telavi, on: db)
            let admin = try await OperatorAccounts.admin(http, on: db)
            for key in ["telavi", telavi.uuidString.lowercased()] {
                let response = try await admin.get("/api/v1/topology?branch=\(key)")
                #expect(response.status == 200, "\(response.text)")
                let body = try response.json()
                #expect(body["gateway_device_id"] as? String == router.uuidString.lowercased())
                let nodes = try response.list("nodes")
                #expect(nodes.map { $0["name"] as? String } == ["rtr-telavi", "sw-telavi", "phone-7"])
                #expect(nodes[1]["parent_device_id"] as? String == router.uuidString.lowercased())
                #expect(nodes[2]["device_id"] == nil && nodes[2]["id"] as? String == "chassis:phone-7")
                let edges = try response.list("edges")
                #expect(edges.map { $0["protocol"] as? String } == ["lldp", "cdp"])
                #expect(edges[0]["target_device_id"] as? String == sw.uuidString.lowercased())
                #expect(edges[0]["local_port"] as? String == "eth1" && edges[0]["remote_port"] as? String == "eth0")
                #expect(edges[0]["management_address"] as? String == "10.1.0.2")
            }
            #expect(try await admin.get("/api/v1/topology").status == 400)
            #expect(try await admin.get("/api/v1/topology?branch=nowhere").status == 404)
            #expect(try await admin.get("/api/v1/topology?branch=\(String(repeating: "x", count: 201))").status == 400)
            let manager = http.with(
                token: try await OperatorAccounts.add("imereti", role: .regionalManager, regions: ["Imereti"], on: db)
                    .token)
            #expect(try await manager.get("/api/v1/topology?branch=telavi").status == 404)
            #expect(try await manager.get("/api/v1/topology?branch=kutaisi").status == 200)
        }
    }
}
