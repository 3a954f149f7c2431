import Foundation
import OutpostCore
import Testing

@testable import OutpostProbes

@Suite("LLDP-MIB and CISCO-CDP-MIB rows become neighbours")
struct NeighbourColumnsTests {
    typealias Cell = SNMPTableWalk.Cell

    static func text(_ string: String) -> SNMPValue { .octetString(Array(string.utf8)) }

    @Test(
        "LLDP: newest time mark per row, MAC ids, port names, management address from the index; CDP: ifIndex and IPv4")
    func parse() {
        let mac: [UInt8] = [0x0a, 0x80, 0xf9, 0xcd, 0x7d, 0xfb]
        let walk = SNMPTableWalk(
            columns: [
                NeighbourColumns.locPortIDSubtype: [Cell(instance: "12", value: .integer(5))],
                NeighbourColumns.locPortID: [Cell(instance: "12", value: Self.text("eth12"))],
                NeighbourColumns.locPortDesc: [Cell(instance: "12", value: Self.text("uplink"))],
                NeighbourColumns.remChassisIDSubtype: [
                    Cell(instance: "100.12.1", value: .integer(4)), Cell(instance: "300.12.1", value: .integer(4)),
                ],
                NeighbourColumns.remChassisID: [
                    Cell(instance: "100.12.1", value: .octetString([1, 2, 3, 4, 5, 6])),
                    Cell(instance: "300.12.1", value: .octetString(mac)),
                ],
                NeighbourColumns.remPortIDSubtype: [Cell(instance: "300.12.1", value: .integer(3))],
                NeighbourColumns.remPortID: [Cell(instance: "300.12.1", value: .octetString(mac))],
                NeighbourColumns.remPortDesc: [Cell(instance: "300.12.1", value: Self.text("  tpbv "))],
                NeighbourColumns.remSysName: [Cell(instance: "300.12.1", value: Self.text("sw-1"))],
                NeighbourColumns.remManAddrIfSubtype: [
                    Cell(instance: "300.12.1.2.16.254.128.0.0.0.0.0.0.0.0.0.0.0.0.0.1", value: .integer(2)),
                    Cell(instance: "300.12.1.1.4.10.250.0.2", value: .integer(2)),
                    Cell(instance: "300.12.1.1.4.10.250.0.999", value: .integer(2)),
                ],
                NeighbourColumns.cdpAddressType: [Cell(instance: "3.1", value: .integer(1))],
                NeighbourColumns.cdpAddress: [Cell(instance: "3.1", value: .octetString([192, 0, 2, 7]))],
                NeighbourColumns.cdpDeviceID: [
                    Cell(instance: "3.1", value: Self.text("core-sw.example")),
                    Cell(instance: "bogus", value: Self.text("ignored")),
                ],
                NeighbourColumns.cdpDevicePort: [
                    Cell(instance: "3.1", value: Self.text(String(repeating: "G", count: 300)))
                ],
            ], uptime: nil, requests: 1)
        let neighbours = NeighbourColumns.neighbours(in: walk)
        #expect(
            neighbours == [
                NeighbourReport.Neighbour(
                    protocolName: "lldp", localPort: "eth12", localPortNumber: 12,
                    remoteChassisID: "0a:80:f9:cd:7d:fb", remotePort: "tpbv", remoteSysName: "sw-1",
                    managementAddress: "10.250.0.2"),
                NeighbourReport.Neighbour(
                    protocolName: "cdp", localPort: nil, localPortNumber: 3, remoteChassisID: "core-sw.example",
                    remotePort: String(repeating: "G", count: NeighbourReport.maximumTextLength),
                    remoteSysName: "core-sw.example", managementAddress: "192.0.2.7"),
            ])
        // What the agent reports passes the collector's checks.
        let report = NeighbourReport(deviceID: .init(), observedAt: .now, neighbours: neighbours)
        #expect(throws: Never.self) { try report.validated() }
    }
}
