import Foundation
import OutpostCore
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostStore

@Suite("LLDP/CDP neighbours in network_topology", .tags(.postgres), .needsPostgres)
struct NeighbourWriterTests {
    static func neighbour(
        _ protocolName: String = "lldp", port: Int, chassis: String?, remotePort: String? = "eth0",
        sysName: String? = nil, address: String? = nil, localPort: String?? = nil
    ) -> NeighbourReport.Neighbour {
        NeighbourReport.Neighbour(
            protocolName: protocolName, localPort: localPort ?? "port\(port)", localPortNumber: port,
            remoteChassisID: chassis, remotePort: remotePort, remoteSysName: sysName, managementAddress: address)
    }

    static func edges(_ db: PostgresConnection) async throws -> [String] {
        try await db.strings(
            """
            SELECT t.connection_type || '|' || coalesce(t.interface_name, '-') || '|'
                   || coalesce(d.name, '-') || '|' || coalesce(t.target_interface, '-') || '|'
                   || coalesce(t.management_address, '-') || '|' || t.is_active
            FROM network_topology t LEFT JOIN standalone_devices d ON d.id = t.target_device_id
            ORDER BY t.local_port_number, t.target_interface
            """)
    }

    @Test(
        "neighbours resolve by management address, chassis MAC and system name; a late replay changes nothing; old edges age out and come back"
    )
    func resolveAgeAndReturn() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let branch = try await Fixture.branch("b1", on: db)
            let other = try await Fixture.branch("b2", on: db)
            let router = try await Fixture.device("rtr", ip: "10.0.0.1", branch: branch, on: db)
            _ = try await Fixture.device("sw1", ip: "10.0.0.2", branch: branch, on: db)
            let sw2 = try await Fixture.device("sw2", ip: "10.0.0.3", branch: branch, on: db)
            let host = try await Fixture.device("host-1", ip: "10.0.0.4", branch: branch, on: db)
            // A device of another branch with the same name as host-1: the branch's own wins.
            _ = try await Fixture.device("host-1", ip: "10.9.0.4", branch: other, on: db)
            try await db.query(
                """
                INSERT INTO device_interfaces (device_id, if_index, name, mac_address)
                VALUES (\(sw2), 7, 'Gi0/7', 'aa:bb:cc:00:00:03'), (\(router), 3, 'Gi0/3', NULL)
                """, logger: TestDatabase.logger)
            try await db.query(
                "UPDATE standalone_devices SET hostname = 'host-1.branch.example' WHERE id = \(host)",
                logger: TestDatabase.logger)
            let writer = NeighbourWriter(maximumAge: 3_600, logger: TestDatabase.logger)
            let t0 = Date().addingTimeInterval(-60)
            let report = NeighbourReport(
                deviceID: router, observedAt: t0,
                neighbours: [
                    Self.neighbour(port: 1, chassis: "11:22:33:44:55:66", address: "10.0.0.2"),
                    Self.neighbour(port: 2, chassis: "AA:BB:CC:00:00:03", remotePort: "Gi0/7"),
                    Self.neighbour(port: 4, chassis: "66:55:44:33:22:11", sysName: "HOST-1"),
                    Self.neighbour(port: 5, chassis: "de:ad:be:ef:00:01", sysName: "stranger"),
                    Self.neighbour("cdp", port: 3, chassis: "sw9", remotePort: "Gi1/0/1", localPort: .some(nil)),
                ])
            try await writer.write(report, branch: branch, on: db)
            let written = [
                "lldp|port1|sw1|eth0|10.0.0.2|true", "lldp|port2|sw2|Gi0/7|-|true", "cdp|Gi0/3|-|Gi1/0/1|-|true",
                "lldp|port4|host-1|eth0|-|true", "lldp|port5|-|eth0|-|true",
            ]
            let edges = try await Self.edges(db)
            #expect(edges == written)
            #expect(
                try await db.strings(
                    """
                    SELECT b.name FROM network_topology t JOIN standalone_devices d ON d.id = t.target_device_id
                    JOIN branches b ON b.id = d.branch_id WHERE t.local_port_number = 4
                    """) == ["b1"])
            // A late replay of an older walk with another address changes nothing.
            var older = report
            older.observedAt = t0.addingTimeInterval(-30)
            older.neighbours[0].managementAddress = "10.0.0.99"
            try await writer.write(older, branch: branch, on: db)
            #expect(try await Self.edges(db) == written)
            // A device of another branch is refused whole.
            await #expect(throws: NeighbourWriter.Refusal.foreignDevice(router)) {
                try await writer.write(report, branch: other, on: db)
            }
            // Two hours on, nothing was listed again: every edge is marked, none deleted.
            #expect(try await writer.ageOut(now: Date().addingTimeInterval(7_200), on: db) == 5)
            #expect(try await Self.edges(db).allSatisfy { $0.hasSuffix("|false") })
            #expect(try await db.integer("SELECT count(*) FROM network_topology WHERE aged_out_at IS NULL") == 0)
            // Listed again: active again, first seen kept.
            var again = report
            again.observedAt = Date()
            again.neighbours = [report.neighbours[0]]
            try await writer.write(again, branch: branch, on: db)
            #expect(
                try await db.strings(
                    """
                    SELECT is_active || '|' || (aged_out_at IS NULL) || '|' || (first_discovered < last_seen)
                    FROM network_topology WHERE local_port_number = 1
                    """) == ["true|true|true"])
        }
    }

    @Test("dependency tree: parents are the neighbours nearer the gateway; unconnected devices hang off the gateway")
    func dependencyTree() {
        let ids = (0..<6).map { _ in UUID() }
        let (gateway, s1, s2, h1, h2, lone) = (ids[0], ids[1], ids[2], ids[3], ids[4], ids[5])
        // A loop s1–s2–gateway: s2 is one hop from the gateway, not two.
        let tree = DependencyTree(
            gateway: gateway, devices: Set(ids),
            links: [(gateway, s1), (s1, s2), (s2, gateway), (s1, h1), (h2, s2), (h1, h1)])
        #expect(tree.parents[gateway] == nil)
        #expect(tree.parents[s1] == gateway && tree.parents[s2] == gateway)
        #expect(tree.upstream(of: h1) == [s1, gateway])
        #expect(tree.upstream(of: h2) == [s2, gateway])
        #expect(tree.upstream(of: lone) == [gateway])
        #expect(tree.upstream(of: gateway) == [])
    }
}
