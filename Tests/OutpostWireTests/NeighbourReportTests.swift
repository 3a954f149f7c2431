import Foundation
import OutpostCore
import Testing

@testable import OutpostWire

/// Neighbour reports travel as generic results (kind neighbours) of a signed batch; the
/// collector decodes and checks each before writing it (`docs/topology.md`).
@Suite("Neighbour reports on the wire")
struct NeighbourReportTests {
    static let good = NeighbourReport(
        deviceID: UUID(), observedAt: Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded()),
        neighbours: [
            NeighbourReport.Neighbour(
                protocolName: "lldp", localPort: "eth1", localPortNumber: 3, remoteChassisID: "0a:80:f9:cd:7d:fb",
                remotePort: "Gi0/1", remoteSysName: "sw-1", managementAddress: "10.0.0.2"),
            NeighbourReport.Neighbour(
                protocolName: "cdp", localPort: nil, localPortNumber: 7, remoteChassisID: "core",
                remotePort: nil, remoteSysName: nil, managementAddress: "2001:db8::7"),
        ])

    @Test("a report round-trips through a signed batch as a generic result; older batches are unchanged")
    func roundTrip() throws {
        let batch = Batch(
            agentID: AgentID.random(), sequence: 1, createdAt: Date(),
            genericResults: [GenericResult(kind: .neighbours, payload: try Self.good.encoded())])
        let verified = try SignedBatch.sign(batch, with: TestKeys.agent).verify(with: TestKeys.agent.publicKey)
        #expect(verified.genericResults.map(\.kind) == [.neighbours])
        let decoded = try NeighbourReport(decoding: verified.genericResults[0].payload).validated()
        #expect(decoded == Self.good)
    }

    @Test("hostile reports are refused naming the field; undecodable payloads do not decode")
    func hostileReports() throws {
        func mutated(_ change: (inout NeighbourReport) -> Void) -> NeighbourReport {
            var report = Self.good
            change(&report)
            return report
        }
        let cases: [(NeighbourReport, String)] = [
            (mutated { $0.neighbours[0].protocolName = "edp" }, "unknown protocol"),
            (mutated { $0.neighbours[0].localPortNumber = -1 }, "localPortNumber"),
            (mutated { $0.neighbours[0].localPortNumber = Int(Int32.max) + 1 }, "localPortNumber"),
            (mutated { $0.neighbours[0].remoteSysName = "sw\u{1b}[2J" }, "remoteSysName"),
            (mutated { $0.neighbours[0].remoteSysName = "sw\u{85}" }, "remoteSysName"),
            (mutated { $0.neighbours[0].remotePort = "" }, "remotePort"),
            (mutated { $0.neighbours[0].localPort = String(repeating: "é", count: 51) }, "localPort"),
            (mutated { $0.neighbours[0].remoteChassisID = "a\nb" }, "remoteChassisID"),
            (mutated { $0.neighbours[0].managementAddress = "10.0.0.300" }, "managementAddress"),
            (mutated { $0.neighbours[0].managementAddress = "fe80::1%eth0" }, "managementAddress"),
            (mutated { $0.neighbours[0].managementAddress = "example.com" }, "managementAddress"),
            (
                mutated { $0.neighbours[0].managementAddress = String(repeating: "1", count: 5_000) },
                "managementAddress"
            ),
            (
                mutated {
                    $0.neighbours = Array(
                        repeating: Self.good.neighbours[0], count: NeighbourReport.maximumNeighbours + 1)
                }, "neighbours"
            ),
            (mutated { $0.observedAt = Date().addingTimeInterval(3_600) }, "observedAt"),
            (mutated { $0.observedAt = Date().addingTimeInterval(-9 * 86_400) }, "observedAt"),
        ]
        for (report, field) in cases {
            // Each survives the JSON round trip (what a hostile agent can send) and is then refused.
            let received = try NeighbourReport(decoding: try report.encoded())
            #expect(throws: NeighbourReportError.self) { try received.validated() }
            do {
                _ = try received.validated()
            } catch {
                #expect(error.description.contains(field), "\(error.description) should name \(field)")
            }
        }
        for payload in [
            Array("not json".utf8), [], Array(#"{"deviceID":"x","observedAt":0,"neighbours":[]}"#.utf8),
            Array(#"{"deviceID":"00000000-0000-0000-0000-000000000001","observedAt":"2026-01-01T00:00:00Z"}"#.utf8),
            Array(repeating: 0xff, count: 64),
        ] {
            #expect(throws: (any Error).self) { try NeighbourReport(decoding: payload) }
        }
    }
}
