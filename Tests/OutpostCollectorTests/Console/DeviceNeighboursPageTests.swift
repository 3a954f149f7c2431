import Foundation
import OutpostCore
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostCollectorTestSupport

/// The device page's neighbours section over real HTTP (`docs/topology.md`).
@Suite("Console: the device page's neighbours", .tags(.postgres), .needsPostgres)
struct DeviceNeighboursPageTests {
    @Test("active neighbours are listed with ports, linked when known, seen from either side; aged-out ones are not")
    func neighbours() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            let id = try await DevicePageTests.seed(db)
            let device = try #require(UUID(uuidString: id))
            let viewer = http.with(token: try await OperatorAccounts.add("eve", role: .viewer, on: db).token)
            #expect(try await viewer.get("/devices/\(id)").text.contains("No LLDP or CDP neighbours seen."))

            let branch = try #require(
                UUID(
                    uuidString: try await db.strings(
                        "SELECT branch_id::text FROM standalone_devices WHERE id = '\(id)'")[0]))
            let peer = try await Fixture.device("core-sw", ip: "10.9.9.1", branch: branch, on: db)
            let uplink = try await Fixture.device("uplink-rtr", ip: "10.9.9.254", branch: branch, on: db)
            let writer = NeighbourWriter(logger: TestDatabase.logger)
            func neighbour(_ port: Int, _ local: String, sysName: String, remote: String, address: String?)
                -> NeighbourReport.Neighbour
            {
                NeighbourReport.Neighbour(
                    protocolName: "lldp", localPort: local, localPortNumber: port, remoteChassisID: "c-\(sysName)",
                    remotePort: remote, remoteSysName: sysName, managementAddress: address)
            }
            try await writer.write(
                NeighbourReport(
                    deviceID: device, observedAt: Date(),
                    neighbours: [
                        neighbour(1, "Gi0/1", sysName: "core-sw", remote: "Gi1/0/24", address: "10.9.9.1"),
                        neighbour(2, "Gi0/2", sysName: "ip-phone-<b>", remote: "Port 1", address: nil),
                    ]), branch: branch, on: db)
            // The uplink router sees the device; the device's walk does not list it.
            try await writer.write(
                NeighbourReport(
                    deviceID: uplink, observedAt: Date(),
                    neighbours: [
                        neighbour(
                            5, "ge-0/0/5", sysName: "x", remote: "Gi0/48",
                            address: try await db.strings(
                                "SELECT ip FROM standalone_devices WHERE id = '\(id)'")[0])
                    ]), branch: branch, on: db)
            try await db.execute(
                "INSERT INTO network_topology (source_ip, source_device_id, target_ip, connection_type, interface_name, local_port_number, is_active) VALUES ('x', '\(id)', '', 'lldp', 'Gi0/9', 9, false)"
            )
            let html = try await viewer.get("/devices/\(id)").text
            #expect(html.contains("<a href=\"/devices/\(peer.uuidString.lowercased())\">core-sw</a>"))
            #expect(html.contains("<td>Gi0/1</td>") && html.contains("<td>Gi1/0/24</td>"))
            #expect(html.contains("ip-phone-&lt;b&gt;") && !html.contains("ip-phone-<b>"))
            #expect(html.contains("<a href=\"/devices/\(uplink.uuidString.lowercased())\">uplink-rtr</a>"))
            #expect(html.contains("<td>Gi0/48</td><td><a") && html.contains("<td>ge-0/0/5</td>"))
            #expect(!html.contains("Gi0/9"))
        }
    }
}
