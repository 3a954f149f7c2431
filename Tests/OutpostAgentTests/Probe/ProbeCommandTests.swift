import Foundation
import OutpostAgent
import OutpostCore
import OutpostPKI
import OutpostTestSupport
import OutpostWire
import Testing

/// `outpost-agent probe`: the built binary against a real snmpd and real ICMP to loopback, with a
/// configured device from a sealed configuration cache.
@Suite("outpost-agent probe", .tags(.snmp), .needsSnmpd)
struct ProbeCommandTests {
    static let deviceID = UUID()
    static let sysName = "1.3.6.1.2.1.1.5.0"

    @Test("snmp get and walk read a configured device with its cached credential, as snmpget and snmpbulkwalk do")
    func snmpWithTheCachedCredential() async throws {
        let snmpd = try await SNMPDaemon(extraConfiguration: SNMPDaemon.ciscoSwitch)
        defer { snmpd.stop() }
        try await withAgentState(snmpd) { state in
            // By name, with the OID given by the name of one of the device's items.
            let get = try await Self.agent([
                "probe", "snmp", "get", "core-sw", "name", "--port", "\(snmpd.port)", "--state-dir", state,
            ])
            #expect(get.contains("\(Self.sysName) = octetstring: sw-branch-7    (item name)"), "\(get)")
            #expect(!get.contains(snmpd.community), "the credential is never printed")

            let walked = try await Self.agent([
                "probe", "snmp", "walk", Self.deviceID.uuidString, "1.3.6.1.2.1.1", "--port", "\(snmpd.port)",
                "--state-dir", state,
            ])
            let reference = try await Command.output(
                "snmpbulkwalk", ["-v2c", "-c", snmpd.community, "-On", "-Oq", snmpd.address, "1.3.6.1.2.1.1"])
            let referenceOIDs = reference.split(separator: "\n").map { $0.split(separator: " ")[0].dropFirst() }
            let walkedOIDs = walked.split(separator: "\n").map { $0.split(separator: " ")[0] }
            #expect(walkedOIDs.count > 10)
            #expect(walkedOIDs.map(String.init) == referenceOIDs.map(String.init))
        }
    }

    @Test("an address literal needs the version on the command line and the community in the environment")
    func snmpWithTheCommunityFromTheEnvironment() async throws {
        let snmpd = try await SNMPDaemon()
        defer { snmpd.stop() }
        try await withAgentState(nil) { state in
            let arguments = [
                "probe", "snmp", "get", "127.0.0.1", Self.sysName, "--port", "\(snmpd.port)", "--state-dir", state,
            ]
            let missing = try await Command.run(try Self.binary, arguments)
            #expect(missing.status != 0)
            #expect(missing.combined.contains("no cached SNMP credential"), "\(missing.combined)")

            let read = try await Self.agent(
                arguments + ["--snmp-version", "2c"], environment: ["OUTPOST_SNMP_COMMUNITY": snmpd.community])
            #expect(read.contains("\(Self.sysName) = octetstring: "), "\(read)")

            let refused = try await Command.run(
                try Self.binary, arguments + ["--snmp-version", "2c", "--timeout", "200", "--retries", "0"],
                environment: ["OUTPOST_SNMP_COMMUNITY": "wrong-community"])
            #expect(refused.status == 1)
            #expect(refused.standardOutput.hasPrefix("error: "), "\(refused.combined)")
        }
    }

    @Test("ping prints the row the agent would store, for a configured device and for an address")
    func ping() async throws {
        try await withAgentState(nil) { state in
            let table = try await Self.agent([
                "probe", "ping", "core-sw", "--count", "2", "--timeout", "500", "--state-dir", state,
            ])
            #expect(table.contains("device_id             \(Self.deviceID.uuidString.lowercased()) (core-sw)"))
            #expect(table.contains("packets_sent          2"))
            #expect(table.contains("packets_received      2"))
            #expect(table.contains("packet_loss_percent   0.000"))
            #expect(table.contains("is_alive              true"), "\(table)")

            let json = try await Self.agent(["probe", "ping", "::1", "--count", "1", "--json", "--state-dir", state])
            let row = try #require(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            #expect(row["device_ip"] as? String == "::1")
            #expect(row["packets_received"] as? Int == 1)
            #expect((row["avg_rtt_ms"] as? Double ?? -1) >= 0)
            #expect(row["device_id"] is NSNull, "not a configured device")

            let hostile = try await Command.run(
                try Self.binary, ["probe", "ping", "10.0.0.1; reboot", "--state-dir", state])
            #expect(hostile.status != 0)
            #expect(hostile.combined.contains("not an IPv4 or IPv6 address literal"), "\(hostile.combined)")
        }
    }

    /// An agent state directory with a key and a sealed cached configuration: `core-sw` at
    /// 127.0.0.1 (with `snmpd`'s port and community when given) and its item `name` (sysName).
    private func withAgentState(_ snmpd: SNMPDaemon?, _ body: (String) async throws -> Void) async throws {
        try await withTemporaryDirectory("probe-state") { directory in
            let key = try AgentStateDirectory(path: directory).createKey()
            let item = AgentConfiguration.Item(
                id: UUID(), name: "name", oid: Self.sysName, intervalSeconds: 60, valueType: "string", isTable: false)
            let device = AgentConfiguration.Device(
                id: Self.deviceID, name: "core-sw", address: "127.0.0.1", items: [item],
                snmp: snmpd.map { .community($0.community) })
            let snapshot = ConfigSnapshot(
                version: "probe-1", payload: try AgentConfiguration(devices: [device], pingPackets: 3).encoded())
            _ = try ConfigurationCache(stateDirectory: directory, agentKey: key).adopt(snapshot)
            try await body(directory)
        }
    }

    static var binary: String {
        get throws { try BuiltProduct.path("outpost-agent", overriddenBy: "OUTPOST_AGENT_BIN") }
    }

    /// Runs the agent binary; its output, or a thrown error with it unless it exits 0.
    static func agent(_ arguments: [String], environment: [String: String] = [:]) async throws -> String {
        try await Command.output(try binary, arguments, environment: environment)
    }
}
