import Foundation
import OutpostCollector
import OutpostCore
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

/// Dependencies derived from the LLDP/CDP topology (`docs/topology.md`).
extension AlertEngineTests {
    @Test(
        "topology dependencies: a switch down suppresses the host behind it; the router down suppresses all behind it"
    )
    func topologySuppression() async throws {
        try await Self.withFleet { db, database, fleet in
            let router = fleet.a.uuid
            let sw1 = try await Fixture.device("sw-1", ip: "10.0.0.2", branch: fleet.branchA, on: db)
            let sw2 = try await Fixture.device("sw-2", ip: "10.0.0.3", branch: fleet.branchA, on: db)
            let host = try await Fixture.device("host-1", ip: "10.0.0.4", branch: fleet.branchA, on: db)
            try await db.query(
                "UPDATE branches SET gateway_device_id = \(router) WHERE id = \(fleet.branchA)",
                logger: TestDatabase.logger)
            // The wiring router – sw-1 – sw-2 – host-1, as the walks of each report it.
            let writer = NeighbourWriter(logger: TestDatabase.logger)
            for (device, address, port) in [(router, "10.0.0.2", 1), (sw1, "10.0.0.3", 2), (sw2, "10.0.0.4", 3)] {
                try await writer.write(
                    NeighbourReport(
                        deviceID: device, observedAt: Date(),
                        neighbours: [
                            NeighbourReport.Neighbour(
                                protocolName: "lldp", localPort: "eth\(port)", localPortNumber: port,
                                remoteChassisID: "chassis-\(address)", remotePort: "eth0", remoteSysName: nil,
                                managementAddress: address)
                        ]), branch: fleet.branchA, on: db)
            }
            let receiver = WebhookReceiver()
            try await receiver.serve { base in
                try await Self.addRule(db, name: "down", expression: "ping_unreachable >= 1", webhook: base + "/hook")
                try await Self.withEngine(database.url) { pipeline, engine in
                    var feed = Feed(fleet: fleet, pipeline: pipeline, engine: engine)
                    func round(_ up: [UUID: Bool]) async throws {
                        try await feed.round([
                            fleet.a: up[router] ?? true, DeviceID(sw1): up[sw1] ?? true,
                            DeviceID(sw2): up[sw2] ?? true, DeviceID(host): up[host] ?? true,
                        ])
                    }
                    func suppressions() async throws -> [String] {
                        try await db.strings(
                            """
                            SELECT d.name || '<' || coalesce(pd.name, '-') FROM alert_history h
                            JOIN standalone_devices d ON d.id = h.device_id
                            LEFT JOIN alert_history p ON p.id = h.suppressed_by
                            LEFT JOIN standalone_devices pd ON pd.id = p.device_id
                            WHERE h.resolved_at IS NULL ORDER BY d.name
                            """)
                    }
                    func sent() -> [String] {
                        receiver.bodies.map { "\($0["event"] ?? "")@\($0["device_name"] ?? "")" }.sorted()
                    }
                    // sw-2 and the host behind it down: sw-2 pages, the host is suppressed by it
                    // (with the gateway alone it would have paged).
                    try await round([sw2: false, host: false])
                    #expect(try await suppressions() == ["host-1<sw-2", "sw-2<-"])
                    #expect(try await eventually(within: .seconds(10)) { sent() == ["firing@sw-2"] })
                    try await round([:])
                    #expect(try await eventually(within: .seconds(10)) { sent().count == 2 })
                    // The router down and everything behind it: only the router pages; each
                    // other alert is suppressed by the router's, the cause, not by its own parent.
                    try await round([router: false, sw1: false, sw2: false, host: false])
                    #expect(
                        try await suppressions() == [
                            "host-1<router-a", "router-a<-", "sw-1<router-a", "sw-2<router-a",
                        ])
                    #expect(
                        try await eventually(within: .seconds(10)) {
                            sent() == ["firing@router-a", "firing@sw-2", "resolved@sw-2"]
                        })
                    try await Task.sleep(for: .milliseconds(300))  // nothing else may arrive
                    #expect(sent() == ["firing@router-a", "firing@sw-2", "resolved@sw-2"])
                }
            }
        }
    }
}
