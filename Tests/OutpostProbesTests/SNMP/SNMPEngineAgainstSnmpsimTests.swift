import OutpostCore
import OutpostProbes
import OutpostTestSupport
import Testing

/// Walks of recorded real devices served by snmpsim equal the recordings and what
/// `snmpbulkwalk` gets from the same simulator.
@Suite(.tags(.snmp), .needsSnmpsim) struct SNMPEngineAgainstSnmpsimTests {
    static let cisco = "network/switch/cisco-c3560.snmprec.bz2"
    static let linux = "os/linux/slackware.snmprec.bz2"

    /// Walks every top-level subtree of the recording (the Cisco one also holds 1.0.8802 LLDP
    /// and 1.2.840 IEEE objects besides 1.3.6.1) and compares the concatenation.
    @Test(arguments: [("cisco-c3560", cisco), ("linux-slackware", linux)])
    func fullWalkEqualsTheRecordingAndSnmpbulkwalk(community: String, recording: String) async throws {
        let simulator = try await SNMPSimulator(recordings: [community: recording])
        let engine = try SNMPEngine()
        let expected = try await SNMPSimulator.recording(recording)
        #expect(expected.count > 1_000)
        var roots: [String] = []
        for varBind in expected {
            let root = varBind.oid.split(separator: ".").prefix(2).joined(separator: ".")
            if roots.last != root { roots.append(root) }
        }
        var walked: [VarBind] = []
        var reference: [String] = []
        for root in roots {
            walked += try await engine.walk(root, from: simulator.target(community: community), maxRepetitions: 50)
            reference += try await simulator.referenceWalkOIDs(community: community, root: root, maxRepetitions: 50)
        }
        #expect(walked.count == expected.count)
        let mismatches = zip(walked, expected).filter { $0 != $1 }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(3))")
        #expect(walked.map(\.oid) == reference, "snmpbulkwalk got \(reference.count) OIDs, the engine \(walked.count)")
        await engine.shutdown()
    }
}
