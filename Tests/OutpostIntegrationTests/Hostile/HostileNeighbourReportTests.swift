import Foundation
import OutpostCore
import OutpostTestSupport
import OutpostWire
import PostgresNIO
import Testing

@testable import OutpostCollectorTestSupport

/// Neighbour reports (generic kind 4) from a hostile agent (`docs/topology.md`, "Wire").
extension HostileAgentTests {
    @Test(
        "hostile neighbour reports cost only themselves: garbage, bad values and another branch's device are skipped, the rest stored and acknowledged"
    )
    func hostileNeighbourReports() async throws {
        try await TransportFixture.with { db, database, fixture in
            let mallory = try await fixture.enrolAgent("mallory", db: db)
            let own = try await fixture.addDevices(1, db: db)[0]
            let otherBranch = try await Fixture.branch("batumi-1", displayName: "Batumi 1", on: db)
            let victim = try await Fixture.device("victim", ip: "127.0.2.1", branch: otherBranch, on: db)
            func report(_ device: UUID, sysName: String, address: String? = nil) throws -> GenericResult {
                GenericResult(
                    kind: .neighbours,
                    payload: try NeighbourReport(
                        deviceID: device, observedAt: Date(),
                        neighbours: [
                            NeighbourReport.Neighbour(
                                protocolName: "lldp", localPort: "eth1", localPortNumber: 1,
                                remoteChassisID: "0a:00:00:00:00:01", remotePort: "eth0", remoteSysName: sysName,
                                managementAddress: address)
                        ]
                    ).encoded())
            }
            let generic = [
                GenericResult(kind: .neighbours, payload: Array("{not json".utf8)),
                try report(own.uuid, sysName: "forged\u{1b}[2Jline"),
                try report(own.uuid, sysName: "sw", address: "999.0.0.1"),
                try report(victim, sysName: "planted"),
                try report(own.uuid, sysName: "good-switch", address: "127.0.1.9"),
            ]
            let batch = Batch(
                agentID: mallory.agentID, sequence: 1, createdAt: Date(), pingResults: [Self.round(own)],
                genericResults: generic)
            try await fixture.withCollector(database: database.url) { address in
                try await Self.session(mallory, to: address) { inbound, outbound in
                    try await outbound.write(
                        .batch(try SignedBatch.sign(batch, with: mallory.privateKey.signingKey())))
                    #expect(try await Self.reply(&inbound) == .ack(Ack(sequence: 1)))
                }
                try await Self.innocentIsServed(mallory, device: own, sequence: 2, at: address)
            }
            #expect(try await db.strings("SELECT remote_sysname FROM network_topology") == ["good-switch"])
            #expect(try await db.integer("SELECT count(*) FROM ping_results") == 2)
        }
    }
}
