import Foundation
import OutpostCore
import OutpostProbes
import OutpostTestSupport
import Testing

/// Table items against a real snmpd: one walk per column set, one sample per row with its
/// instance and label, per-row counter rates that neither spike on a wrap nor on a reboot.
@Suite("SNMP table polling against a real snmpd", .tags(.snmp, .timing), .needsQuietMachine, .needsSnmpd)
struct SNMPTablePollingTests {
    static let ifDescr = "1.3.6.1.2.1.2.2.1.2"
    static let ifType = "1.3.6.1.2.1.2.2.1.3"
    static let ifPhysAddress = "1.3.6.1.2.1.2.2.1.6"
    static let ifAdminStatus = "1.3.6.1.2.1.2.2.1.7"
    static let ifInOctets = "1.3.6.1.2.1.2.2.1.10"

    static func item(_ name: String, _ oid: String, _ type: String, interval: Int = 1) -> AgentConfiguration.Item {
        AgentConfiguration.Item(
            id: UUID(), name: name, oid: oid, intervalSeconds: interval, valueType: type, isTable: true)
    }

    /// `walk`'s rows of `columns` as the variable bindings snmpbulkwalk prints.
    static func varBinds(_ walk: SNMPTableWalk, _ columns: [String]) -> [[VarBind]] {
        columns.map { column in
            (walk.columns[column] ?? []).map { VarBind(oid: column + "." + $0.instance, value: $0.value) }
        }
    }

    @Test("a column set is walked in shared GETBULK requests and reads what snmpbulkwalk reads")
    func walkMatchesSnmpbulkwalk() async throws {
        let agent = try await SNMPDaemon()
        let engine = try SNMPEngine()
        let columns = [Self.ifDescr, Self.ifType, Self.ifPhysAddress, Self.ifAdminStatus]
        func reference() async throws -> [[VarBind]] {
            var rows: [[VarBind]] = []
            for column in columns { rows.append(try await agent.tool("snmpbulkwalk", [column])) }
            return rows
        }
        // snmpd serves the host's interfaces, which other suites' namespaces add and remove: a
        // walk is compared with snmpbulkwalk only when that read the same rows before and after.
        func stable(_ walk: () async throws -> SNMPTableWalk) async throws -> (SNMPTableWalk, [[VarBind]]) {
            for _ in 0..<20 {
                let before = try await reference()
                let result = try await walk()
                if try await reference() == before { return (result, before) }
            }
            Issue.record("the host's interfaces never held still for a walk")
            throw CancellationError()
        }
        let (walk, expected) = try await stable { try await engine.walkColumns(columns, from: agent.v2c) }
        #expect(Self.varBinds(walk, columns) == expected)
        #expect(expected.allSatisfy { !$0.isEmpty })
        // A separate walk needs at least one request, and one more to see the column end.
        #expect(walk.requests < expected.reduce(0) { $0 + 1 + $1.count / 25 + 1 })
        #expect(walk.uptime != nil, "sysUpTime comes with the first request")
        // Forced into one binding per response, the walk still reads the same rows.
        let (narrow, narrowExpected) = try await stable {
            try await engine.walkColumns(columns, from: agent.v2c, varBindsPerResponse: 1)
        }
        #expect(Self.varBinds(narrow, columns) == narrowExpected)
        let (v1, v1Expected) = try await stable {
            try await engine.walkColumns(columns, from: agent.target(.v1(community: agent.community)))
        }
        #expect(Self.varBinds(v1, columns) == v1Expected && v1.uptime != nil)
        await engine.shutdown()
    }

    @Test(
        "table items yield a sample per row with its ifIndex and ifDescr label, over v1, v2c and v3",
        arguments: [
            SNMPCredential(version: .v1, community: SNMPDaemon.community),
            SNMPCredential(version: .v2c, community: SNMPDaemon.community),
            SNMPCredential(
                version: .v3, user: "privsha256", authProtocol: "SHA-256", authKey: SNMPDaemon.authPassphrase,
                privProtocol: "AES", privKey: SNMPDaemon.privPassphrase),
        ])
    func samplesPerRow(credential: SNMPCredential) async throws {
        let agent = try await SNMPDaemon()
        let octets = Self.item("if_in_octets", Self.ifInOctets, "counter32")
        let status = Self.item("if_admin_status", Self.ifAdminStatus, "integer")
        let missing = Self.item("none", "1.3.6.1.4.1.99999.7.1", "integer")
        let device = AgentConfiguration.Device(
            id: UUID(), name: "lo", address: agent.host, items: [octets, status, missing], snmp: credential)
        let reference = try await agent.tool("snmpbulkwalk", [Self.ifDescr])
        let labels = Dictionary(
            uniqueKeysWithValues: reference.map {
                (String($0.oid.dropFirst(Self.ifDescr.count + 1)), $0.value.textValue)
            })
        let stream = try SNMPTableSampleStream([device], port: agent.port)
        let samples = try await stream.wait("two walks of every row") { samples in
            let rows = samples.filter { $0.itemID == ItemID(octets.id) }
            return rows.count >= 2 * labels.count && samples.contains { $0.itemID == ItemID(missing.id) }
        }
        await stream.stop()
        let rows = samples.filter { $0.itemID == ItemID(octets.id) }
        #expect(Set(rows.compactMap(\.instance?.key)) == Set(labels.keys))
        #expect(rows.allSatisfy { $0.instance.map { labels[$0.key] == $0.label } == true })
        #expect(rows.allSatisfy { if case .counter32? = $0.value { true } else { false } })
        let loopback = rows.filter { $0.instance?.label == "lo" }
        #expect(loopback.first?.rate == nil && loopback.dropFirst().allSatisfy { $0.rate != nil })
        let admin = samples.filter { $0.itemID == ItemID(status.id) }
        #expect(admin.filter { $0.instance?.label == "lo" }.allSatisfy { $0.value == .integer(1) })
        #expect(admin.allSatisfy { [.integer(1), .integer(2), .integer(3)].contains($0.value) })
        let empty = samples.filter { $0.itemID == ItemID(missing.id) }
        #expect(empty.allSatisfy { $0.value == nil && $0.instance == nil && $0.error?.contains("no rows") == true })
        // One walk per interval: the rows of both items of a walk share its time.
        let times = Set(samples.filter { $0.itemID == ItemID(status.id) }.map(\.timestamp))
        #expect(times.isSubset(of: Set(rows.map(\.timestamp))))
    }
}
