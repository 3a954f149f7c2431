import Foundation
import OutpostCore
import OutpostProbes
import OutpostTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Interface tables of an snmpd in a network namespace whose links the test changes: a link set
/// down reads down at the next poll, and traffic of a known size shows as its byte count in the
/// in-octets rates.
@Suite(
    "SNMP interface tables across network namespaces", .tags(.root, .netns, .snmp, .timing), .needsQuietMachine,
    .needsNetworkNamespaces, .needsSnmpd)
struct SNMPTableNamespaceTests {
    static let ifOperStatus = "1.3.6.1.2.1.2.2.1.8"
    static let ifHCInOctets = "1.3.6.1.2.1.31.1.1.1.6"
    static let ifName = "1.3.6.1.2.1.31.1.1.1.1"

    /// An snmpd answering on the namespace's address.
    static func snmpd(in namespace: NetworkNamespace) async throws -> SNMPDaemon {
        try await SNMPDaemon(
            host: "\(namespace.linkPrefix).2", port: try FreePort.udp(), launcher: try namespace.launcher())
    }

    /// ifOperStatus as a table item polled every second.
    static func operStatus() -> AgentConfiguration.Item {
        AgentConfiguration.Item(
            id: UUID(), name: "if_oper_status", oid: ifOperStatus, intervalSeconds: 1, valueType: "integer",
            isTable: true)
    }

    /// Sends `count` UDP datagrams of `payload` bytes to port 9 (discard) of `address`.
    static func sendDatagrams(to address: String, count: Int, payload: Int) throws {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard socket >= 0 else { throw TestEnvironmentError("socket: errno \(errno)") }
        defer { close(socket) }
        var target = sockaddr_in()
        target.sin_family = sa_family_t(AF_INET)
        target.sin_port = in_port_t(9).bigEndian
        guard inet_pton(AF_INET, address, &target.sin_addr) == 1 else { throw TestEnvironmentError("bad \(address)") }
        let bytes = [UInt8](repeating: 0x5a, count: payload)
        for _ in 0..<count {
            let sent = withUnsafePointer(to: &target) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(socket, bytes, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard sent == bytes.count else { throw TestEnvironmentError("sendto: errno \(errno)") }
        }
    }

    @Test("a link set down reads down, and a known byte count shows in the in-octets rates")
    func linkStateAndTraffic() async throws {
        let namespace = try NetworkNamespace()
        defer { namespace.close() }
        // A second veth pair inside the namespace, whose state the test changes.
        let tag = TestNetwork.uniqueTag()
        let (watched, peer) = ("opw\(tag)", "opp\(tag)")
        try namespace.inside(["link", "add", watched, "type", "veth", "peer", "name", peer])
        try namespace.inside(["link", "set", watched, "up"])
        try namespace.inside(["link", "set", peer, "up"])
        let agent = try await Self.snmpd(in: namespace)
        defer { agent.stop() }
        let status = Self.operStatus()
        let octets = AgentConfiguration.Item(
            id: UUID(), name: "if_in_octets", oid: Self.ifHCInOctets, intervalSeconds: 1, valueType: "counter64",
            isTable: true)
        let device = AgentConfiguration.Device(
            id: UUID(), name: "ns", address: agent.host, items: [status, octets],
            snmp: SNMPCredential(version: .v2c, community: agent.community))
        let stream = try SNMPTableSampleStream([device], port: agent.port)

        @Sendable func rows(_ item: AgentConfiguration.Item, _ label: String, _ samples: [ItemSample]) -> [ItemSample] {
            samples.filter { $0.itemID == ItemID(item.id) && $0.instance?.label == label }
        }
        let up = try await stream.wait("the watched link up") { rows(status, watched, $0).last?.value == .integer(1) }
        let before = up.count
        try namespace.inside(["link", "set", watched, "down"])
        let down = try await stream.wait("the watched link down") { samples in
            rows(status, watched, Array(samples.dropFirst(before))).contains { $0.value != .integer(1) }
        }
        #expect(rows(status, watched, Array(down.dropFirst(before))).last?.value != .integer(1))
        #expect(rows(status, namespace.innerInterface, down).last?.value == .integer(1), "the other link stays up")

        // 200 UDP datagrams of 1,400 bytes of payload: 1,442 bytes each on the link (Ethernet 14,
        // IPv4 20, UDP 8), received by the namespace's end of the veth.
        let baseline = try await stream.wait("a rate of the namespace link") { samples in
            rows(octets, namespace.innerInterface, samples).count >= 2
        }
        let start = try #require(rows(octets, namespace.innerInterface, baseline).last)
        guard case .counter64(let first)? = start.value else {
            Issue.record("in-octets are not Counter64: \(String(describing: start.value))")
            return
        }
        let expected = 200.0 * 1_442
        try Self.sendDatagrams(to: "\(namespace.linkPrefix).2", count: 200, payload: 1_400)
        // snmpd caches the interface counters for a few seconds: wait for a walk that shows them.
        let after = try await stream.wait("a sample showing the traffic") { samples in
            rows(octets, namespace.innerInterface, samples).contains { sample in
                guard case .counter64(let value)? = sample.value else { return false }
                return Double(value) >= Double(first) + expected
            }
        }
        await stream.stop()
        let window = rows(octets, namespace.innerInterface, after).filter { $0.timestamp > start.timestamp }
        let end = try #require(window.last)
        guard case .counter64(let last)? = end.value else { return }
        let counted = Double(last - first)
        // Besides the datagrams: ARP and the SNMP requests themselves (a few hundred bytes a second).
        #expect(counted >= expected && counted < expected * 1.05, "counted \(counted) bytes, sent \(expected)")
        var previous = start.timestamp
        var integrated = 0.0
        for sample in window {
            integrated += (sample.rate ?? .nan) * sample.timestamp.timeIntervalSince(previous)
            previous = sample.timestamp
        }
        #expect(abs(integrated - counted) < 1, "rates × intervals \(integrated) ≠ counter increase \(counted)")
    }

    @Test("an interface added to the device is named by an immediate walk of the hourly inventory columns")
    func addedInterfaceIsInventoriedAtOnce() async throws {
        let namespace = try NetworkNamespace()
        defer { namespace.close() }
        let agent = try await Self.snmpd(in: namespace)
        defer { agent.stop() }
        // Metrics every second, names every hour: only an interface change reads the names again.
        let status = Self.operStatus()
        let names = AgentConfiguration.Item(
            id: UUID(), name: "if_name", oid: Self.ifName, intervalSeconds: 3_600, valueType: "string", isTable: true)
        let device = AgentConfiguration.Device(
            id: UUID(), name: "ns", address: agent.host, items: [status, names],
            snmp: SNMPCredential(version: .v2c, community: agent.community))
        let stream = try SNMPTableSampleStream([device], port: agent.port)
        @Sendable func named(_ name: String, _ samples: [ItemSample]) -> Bool {
            samples.contains { $0.itemID == ItemID(names.id) && $0.value == .octetString(Array(name.utf8)) }
        }
        let first = try await stream.wait("the first inventory") { named(namespace.innerInterface, $0) }
        let inventories = first.filter { $0.itemID == ItemID(names.id) }.map(\.timestamp)
        #expect(Set(inventories).count == 1, "one inventory walk so far")

        let tag = TestNetwork.uniqueTag()
        let added = "opn\(tag)"
        try namespace.inside(["link", "add", added, "type", "veth", "peer", "name", "opq\(tag)"])
        // snmpd rereads its interface table within seconds; the next metrics walk sees the row.
        let after = try await stream.wait(seconds: 30, "the added interface's name") { named(added, $0) }
        await stream.stop()
        let statusRows = after.filter { $0.itemID == ItemID(status.id) && $0.instance?.label == added }
        #expect(!statusRows.isEmpty, "the metrics walk saw the interface")
        #expect(Set(after.filter { $0.itemID == ItemID(names.id) }.map(\.timestamp)).count >= 2)
    }
}
