import Foundation
import OutpostProbes
import OutpostTestSupport
import Testing

/// A sweep across two veth links into network namespaces: a host that answers ping only,
/// and a host that drops ICMP but answers SNMP.
@Suite("Discovery sweep across network namespaces", .tags(.root, .netns, .snmp), .needsNetworkNamespaces, .needsSnmpd)
struct NamespaceSweepTests {
    @Test func findsPingOnlyAndSilentSNMPHostsWithTheirMACAddresses() async throws {
        let pingOnly = try NetworkNamespace()
        defer { pingOnly.close() }
        let silent = try NetworkNamespace()
        defer { silent.close() }
        try silent.sysctl("net.ipv4.icmp_echo_ignore_all=1")
        let port = try FreePort.udp()
        let agent = try await SNMPDaemon(
            host: "\(silent.linkPrefix).2", port: port, community: "gamma",
            extraConfiguration:
                "sysObjectID .1.3.6.1.4.1.318.1.3.27\nsysDescr APC Web/SNMP Management Card\nsysName ups-branch-7",
            launcher: try silent.launcher())
        defer { agent.stop() }

        let icmp = try ICMPTest.engine()
        let snmp = try SNMPEngine()
        let sweeper = DiscoverySweeper(icmp: icmp, snmp: snmp)
        let configuration = DiscoveryConfiguration(
            icmpRetries: 1, icmpTimeout: .milliseconds(500), snmpProbing: .allHosts,
            credentials: [.v2c(community: "delta"), .v2c(community: "gamma")],
            snmpPort: port, snmpTimeout: .milliseconds(300))
        let targets = try DiscoveryTargets(include: ["\(pingOnly.linkPrefix).0/29", "\(silent.linkPrefix).0/29"])
        var hosts: [String: DiscoveredHost] = [:]
        var summary: DiscoverySummary?
        for await event in try sweeper.sweep(targets, configuration: configuration) {
            switch event {
            case .hostFound(let host): hosts[host.address] = host
            case .finished(let end): summary = end
            case .progress: break
            }
        }
        let counters = icmp.counters
        await icmp.shutdown()
        await snmp.shutdown()

        // .1 of each link is this host's own veth end; .2 the namespace; .3-.6 nobody.
        #expect(
            Set(hosts.keys) == [
                "\(pingOnly.linkPrefix).1", "\(pingOnly.linkPrefix).2", "\(silent.linkPrefix).1",
                "\(silent.linkPrefix).2",
            ])
        let pingHost = try #require(hosts["\(pingOnly.linkPrefix).2"])
        #expect(pingHost.respondsToICMP && pingHost.system == nil && pingHost.deviceType == .unknown)
        #expect(pingHost.macAddress == (try Self.macAddress(of: pingOnly)))

        let upsHost = try #require(hosts["\(silent.linkPrefix).2"])
        #expect(!upsHost.respondsToICMP && upsHost.rttMilliseconds == nil)
        #expect(upsHost.system?.credentialIndex == 1 && upsHost.system?.sysName == "ups-branch-7")
        #expect(upsHost.vendor?.name == "APC" && upsHost.deviceType == .ups)
        #expect(upsHost.macAddress == (try Self.macAddress(of: silent)))

        // One request to each of the 3 responders, a retry to each of the 9 silent hosts.
        #expect(counters.sent + counters.sendFailures == 3 + 9 * 2)
        #expect(counters.received == 3)

        let end = try #require(summary)
        #expect(end.progress.total == 12 && end.progress.scanned == 12 && end.progress.responded == 4)
        #expect(end.progress.identified == 1 && end.progress.failed == 0)
    }

    /// The MAC address of the namespace's end of the veth pair.
    private static func macAddress(of namespace: NetworkNamespace) throws -> String {
        let output = try BlockingCommand.run(
            "ip", ["-n", namespace.name, "-o", "link", "show", namespace.innerInterface]
        ).standardOutput
        let fields = output.split(separator: " ")
        let index = try #require(fields.firstIndex(of: "link/ether"))
        return String(fields[index + 1]).lowercased()
    }
}
