import Foundation
import OutpostCore
import OutpostProbes
import OutpostTestSupport
import Testing

/// Interface tables of a recorded Cisco Catalyst 3560 (many ports and VLAN interfaces) served by
/// snmpsim: the poller's rows are the recording's rows, with the recording's values and
/// ifDescr labels, and the walk visits the OIDs snmpbulkwalk visits.
@Suite("SNMP interface tables of a recorded switch", .tags(.snmp), .needsSnmpsim)
struct SNMPTableSnmpsimTests {
    static let recording = "network/switch/cisco-c3560.snmprec.bz2"
    static let ifDescr = "1.3.6.1.2.1.2.2.1.2"
    static let columns: [(name: String, oid: String, type: String)] = [
        ("if_in_octets", "1.3.6.1.2.1.31.1.1.1.6", "counter64"), ("if_oper_status", "1.3.6.1.2.1.2.2.1.8", "integer"),
        ("if_high_speed", "1.3.6.1.2.1.31.1.1.1.15", "gauge32"), ("if_alias", "1.3.6.1.2.1.31.1.1.1.18", "octetstring"),
        ("if_phys_address", "1.3.6.1.2.1.2.2.1.6", "octetstring"),
        ("if_in_errors", "1.3.6.1.2.1.2.2.1.14", "counter32"),
    ]

    @Test("every row of every column, with its value and label, as recorded and as snmpbulkwalk reads it")
    func rowsEqualTheRecording() async throws {
        let simulator = try await SNMPSimulator(recordings: ["c3560": Self.recording])
        let recorded = try await SNMPSimulator.recording(Self.recording)
        func rows(_ column: String) -> [String: SNMPValue] {
            Dictionary(
                recorded.filter { $0.oid.hasPrefix(column + ".") }.map {
                    (String($0.oid.dropFirst(column.count + 1)), $0.value)
                }, uniquingKeysWith: { first, _ in first })
        }
        let labels = rows(Self.ifDescr).mapValues(\.textValue)
        #expect(labels.count >= 24, "a switch with many ports")
        let items = Self.columns.map {
            AgentConfiguration.Item(
                id: UUID(), name: $0.name, oid: $0.oid, intervalSeconds: 300, valueType: $0.type, isTable: true)
        }
        let device = AgentConfiguration.Device(
            id: UUID(), name: "c3560", address: "127.0.0.1", items: items, snmp: .community("c3560"))
        // snmpsim (Python) answers a 64-binding page slowly on a busy machine: in CI's parallel
        // phase one page outlived two 5 s tries, and a walk that times out waits for its next
        // interval. Generous bounds cost nothing when it answers in time.
        let stream = try SNMPTableSampleStream([device], port: simulator.port, timeout: .seconds(15))
        let expectedCount = Self.columns.map { rows($0.oid).count }.reduce(0, +)
        let samples = try await stream.wait(seconds: 120, "one walk of every column") { $0.count >= expectedCount }
        await stream.stop()
        #expect(samples.count == expectedCount)
        for (item, column) in zip(items, Self.columns) {
            let polled = samples.filter { $0.itemID == ItemID(item.id) }
            let expected = rows(column.oid)
            #expect(
                Dictionary(polled.map { ($0.instance?.key ?? "-", $0.value) }, uniquingKeysWith: { a, _ in a })
                    == expected.mapValues { Optional($0) }, "column \(column.name)")
            #expect(polled.allSatisfy { $0.instance?.label == labels[$0.instance?.key ?? ""] })
            let reference = try await simulator.referenceWalkOIDs(
                community: "c3560", root: column.oid, maxRepetitions: 25)
            #expect(
                polled.map { column.oid + "." + ($0.instance?.key ?? "") } == reference,
                "snmpbulkwalk of \(column.name)")
        }
    }
}
