import Foundation
import Logging
import OutpostCore
import OutpostProbes
import OutpostTestSupport
import Synchronization
import Testing

/// The neighbour poller's schedule against a real snmpd without LLDP or CDP tables.
@Suite("Neighbour poller against a real snmpd", .tags(.snmp), .needsSnmpd)
struct NeighbourPollerTests {
    @Test("each SNMP device is walked at once and reports no neighbours; a device without a credential is not walked")
    func walksAtOnce() async throws {
        let agent = try await SNMPDaemon()
        let engine = try SNMPEngine()
        let poller = NeighbourPoller(
            engine: engine, interval: .seconds(3_600), port: agent.port, logger: Logger(label: "neighbour-poller-test"))
        let walked = AgentConfiguration.Device(
            id: UUID(), name: "lo", address: agent.host,
            snmp: SNMPCredential(version: .v2c, community: SNMPDaemon.community))
        let silent = AgentConfiguration.Device(id: UUID(), name: "no-snmp", address: agent.host)
        let reports = Mutex<[NeighbourReport]>([])
        let run = Task {
            await poller.run(devices: [walked, silent]) { report in reports.withLock { $0.append(report) } }
        }
        #expect(try await eventually(within: .seconds(20)) { reports.withLock { !$0.isEmpty } })
        run.cancel()
        await run.value
        let received = reports.withLock { $0 }
        #expect(received.map(\.deviceID) == [walked.id])
        #expect(received.first?.neighbours == [])
        await engine.shutdown()
    }
}
