import Foundation
import Logging
import OutpostProbes
import OutpostTestSupport
import Testing

/// Sweeps over a random /29 of 127/8 where real snmpd processes listen on some addresses.
@Suite("Discovery sweep on loopback", .tags(.root, .snmp, .timing), .needsQuietMachine, .needsRoot, .needsSnmpd)
struct LoopbackSweepTests {
    static let v3User = SNMPv3User(
        userName: "discoverer", authentication: .init(.sha1, passphrase: SNMPDaemon.authPassphrase),
        privacy: .init(.aes128, passphrase: SNMPDaemon.privPassphrase))

    /// v2c "alpha", v2c "beta", then the v3 user: the index each host reports.
    static let credentials: [SNMPSecurity] = [.v2c(community: "alpha"), .v2c(community: "beta"), .v3(v3User)]

    /// A /29 of 127/8 no other test uses: "127.x.y" with y a multiple of 8 as the network.
    static func randomBlock() -> String {
        "127.\(Int.random(in: 100...199)).\(Int.random(in: 0...255)).\(Int.random(in: 0...31) * 8)"
    }

    @Test func findsEveryLiveHostAndIdentifiesTheSNMPAgentsWithTheRightCredential() async throws {
        let network = Self.randomBlock()
        let octets = network.split(separator: ".").map { Int($0)! }
        let host = { (index: Int) in "\(octets[0]).\(octets[1]).\(octets[2]).\(octets[3] + index)" }
        let port = try FreePort.udp()
        // Accepts "beta" too: the first candidate that works is the one reported.
        let cisco = try await SNMPDaemon(
            host: host(1), port: port, community: "alpha",
            extraConfiguration: """
                rocommunity beta 127.0.0.0/8
                sysLocation Branch 7 wiring closet
                \(SNMPDaemon.ciscoSwitch)
                """)
        let fortinet = try await SNMPDaemon(
            host: host(2), port: port, community: "beta", extraConfiguration: SNMPDaemon.fortiGate)
        // Answers only the v3 user among the candidates; net-snmp's own identity and sysDescr.
        let linux = try await SNMPDaemon(
            host: host(3), port: port, community: "not-a-candidate",
            extraConfiguration: """
                createUser discoverer SHA \(SNMPDaemon.authPassphrase) AES \(SNMPDaemon.privPassphrase)
                rouser discoverer priv
                sysName srv-branch-7
                """)
        // An agent none of the candidates opens.
        let locked = try await SNMPDaemon(host: host(4), port: port, community: "nobody-knows")
        defer { for daemon in [cisco, fortinet, linux, locked] { daemon.stop() } }

        let icmp = try ICMPTest.engine()
        let snmp = try SNMPEngine()
        let sweeper = DiscoverySweeper(icmp: icmp, snmp: snmp)
        let configuration = DiscoveryConfiguration(
            concurrency: 4, icmpTimeout: .milliseconds(500), credentials: Self.credentials, snmpPort: port,
            snmpTimeout: .milliseconds(300))
        let events = try await collect(
            sweeper.sweep(try DiscoveryTargets(include: ["\(network)/29"]), configuration: configuration))
        await icmp.shutdown()
        await snmp.shutdown()

        let hosts = Dictionary(
            uniqueKeysWithValues: events.compactMap { event -> (String, DiscoveredHost)? in
                if case .hostFound(let host) = event { (host.address, host) } else { nil }
            })
        #expect(
            Set(hosts.keys) == Set((1...6).map(host)), "every address of the /29 but network and broadcast answers ICMP"
        )
        #expect(hosts.values.allSatisfy { $0.respondsToICMP && $0.rttMilliseconds != nil && $0.macAddress == nil })

        let switchHost = try #require(hosts[host(1)]?.system)
        #expect(switchHost.credentialIndex == 0)
        #expect(switchHost.sysObjectID == "1.3.6.1.4.1.9.1.1208")
        #expect(
            switchHost.sysName == "sw-branch-7" && switchHost.sysLocation == "Branch 7 wiring closet"
                && switchHost.sysServices == 2)
        #expect(switchHost.sysDescr?.hasPrefix("Cisco IOS Software, C2960X") == true && switchHost.sysUpTime != nil)
        #expect(hosts[host(1)]?.vendor?.name == "Cisco" && hosts[host(1)]?.deviceType == .switch)

        #expect(hosts[host(2)]?.system?.credentialIndex == 1)
        #expect(hosts[host(2)]?.system?.sysName == "fw-branch-7")
        #expect(hosts[host(2)]?.vendor?.name == "Fortinet" && hosts[host(2)]?.deviceType == .firewall)

        #expect(hosts[host(3)]?.system?.credentialIndex == 2)
        #expect(hosts[host(3)]?.system?.sysObjectID?.hasPrefix("1.3.6.1.4.1.8072.") == true)
        #expect(hosts[host(3)]?.system?.sysDescr?.hasPrefix("Linux") == true)
        #expect(hosts[host(3)]?.vendor?.name == "net-snmp" && hosts[host(3)]?.deviceType == .server)

        for index in 4...6 {
            #expect(
                hosts[host(index)]?.system == nil && hosts[host(index)]?.vendor == nil
                    && hosts[host(index)]?.deviceType == .unknown)
        }

        guard case .progress(let first) = events.first, case .finished(let summary) = events.last else {
            Issue.record("events must start with progress and end with finished: \(events)")
            return
        }
        #expect(first == DiscoveryProgress(total: 6))
        let progress = events.compactMap { event -> DiscoveryProgress? in
            if case .progress(let value) = event { value } else { nil }
        }
        #expect(progress.last == summary.progress, "the last progress event carries the final counters")
        #expect(
            zip(progress, progress.dropFirst()).allSatisfy {
                $0.scanned <= $1.scanned && $0.responded <= $1.responded && $0.identified <= $1.identified
            })
        #expect(events.count { if case .hostFound = $0 { true } else { false } } == 6, "each host is reported once")
        #expect(summary.progress.total == 6 && summary.progress.scanned == 6 && summary.progress.responded == 6)
        #expect(summary.progress.identified == 3 && summary.progress.failed == 0)
        #expect(summary.duration > .zero && summary.duration < .seconds(10))
    }

    @Test func snmpV1AgentHidingAnObjectIsStillIdentified() async throws {
        // v1 answers noSuchName for the whole PDU when one object is missing: here sysLocation
        // (outside the community's view) and sysServices (snmpd has none unless configured).
        // The probe asks again without each.
        let address = "127.\(Int.random(in: 100...199)).\(Int.random(in: 0...255)).\(Int.random(in: 1...254))"
        let agent = try await SNMPDaemon(
            host: address,
            extraConfiguration: """
                view nolocation included .1.3.6.1.2.1.1
                view nolocation excluded .1.3.6.1.2.1.1.6
                rocommunity oldie 127.0.0.0/8 -V nolocation
                sysObjectID .1.3.6.1.4.1.14988.1
                sysDescr RouterOS RB4011iGS+
                sysLocation hidden from oldie
                """)
        defer { agent.stop() }
        let icmp = try ICMPTest.engine()
        let snmp = try SNMPEngine()
        let configuration = DiscoveryConfiguration(
            credentials: [.v1(community: "oldie")], snmpPort: agent.port, snmpTimeout: .milliseconds(500))
        let events = try await collect(
            DiscoverySweeper(icmp: icmp, snmp: snmp).sweep(
                try DiscoveryTargets(include: [address]), configuration: configuration))
        await icmp.shutdown()
        await snmp.shutdown()
        let host = try #require(
            events.compactMap { event -> DiscoveredHost? in if case .hostFound(let host) = event { host } else { nil } }
                .first)
        #expect(host.system?.credentialIndex == 0 && host.system?.sysLocation == nil && host.system?.sysServices == nil)
        #expect(
            host.system?.sysDescr == "RouterOS RB4011iGS+" && host.system?.sysUpTime != nil
                && host.system?.sysName?.isEmpty == false)
        #expect(host.vendor?.name == "MikroTik" && host.deviceType == .router)
    }

    @Test func cancellingTheConsumerStopsProbingWithinASecond() async throws {
        // 4,094 hosts at 200 echo requests per second would take 20 s.
        let icmp = try ICMPTest.engine(maxPacketsPerSecond: 200)
        let snmp = try SNMPEngine()
        let sweeper = DiscoverySweeper(icmp: icmp, snmp: snmp)
        let network = "127.\(Int.random(in: 200...254)).\(Int.random(in: 0...15) * 16).0"
        let targets = try DiscoveryTargets(include: ["\(network)/20"])
        #expect(targets.count == 4_094)
        let stream = try sweeper.sweep(
            targets, configuration: DiscoveryConfiguration(concurrency: 16, snmpProbing: .disabled))
        let consumer = Task {
            var found = 0
            for await event in stream {
                if case .hostFound = event { found += 1 }
            }
            return found
        }
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(10)
        while icmp.counters.received < 100, clock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        consumer.cancel()
        let cancelledAt = clock.now
        let sentAtCancel = icmp.counters.sent
        let found = await consumer.value
        #expect(clock.now - cancelledAt < .seconds(1), "the consumer's loop ends within a second")
        #expect(found > 0 && found < 4_094, "hosts stream while the sweep runs")

        // Requests already handed to the engine (at most `concurrency`) still leave; nothing after.
        try await Task.sleep(until: cancelledAt + .seconds(1))
        let sentAfterOneSecond = icmp.counters.sent
        try await Task.sleep(for: .seconds(1))
        let sentAfterTwoSeconds = icmp.counters.sent
        await icmp.shutdown()
        await snmp.shutdown()
        #expect(sentAfterOneSecond == sentAfterTwoSeconds, "no probe is sent more than a second after cancellation")
        #expect(sentAfterOneSecond <= sentAtCancel + 16)
        #expect(sentAfterTwoSeconds < 300)
    }

    @Test func cancellingDuringSNMPProbingSendsNoFurtherRequests() async throws {
        // 126 hosts × 4 communities nobody answers, 200 ms each: about 6.3 s at 16 hosts at once.
        // Kept gentle: timing-sensitive ICMP tests run in parallel in the same process.
        let counter = try UDPRequestCounter()
        let icmp = try ICMPTest.engine(maxPacketsPerSecond: 1_000)
        let snmp = try SNMPEngine()
        let network = "127.\(Int.random(in: 200...254)).\(Int.random(in: 0...255)).0"
        let configuration = DiscoveryConfiguration(
            concurrency: 16, icmpTimeout: .milliseconds(100), snmpProbing: .allHosts,
            credentials: (1...4).map { .v2c(community: "guess-\($0)") }, snmpPort: counter.port,
            snmpTimeout: .milliseconds(200))
        let stream = try DiscoverySweeper(icmp: icmp, snmp: snmp).sweep(
            try DiscoveryTargets(include: ["\(network)/25"]), configuration: configuration)
        let consumer = Task { for await _ in stream {} }
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(30)
        while counter.count < 40, clock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        consumer.cancel()
        let cancelledAt = clock.now
        let requestsAtCancel = counter.count
        await consumer.value

        // A request already sent may still wait out its 200 ms; no credential is tried after.
        try await Task.sleep(until: cancelledAt + .seconds(1))
        let afterOneSecond = counter.count
        try await Task.sleep(for: .seconds(1))
        let afterTwoSeconds = counter.count
        await icmp.shutdown()
        await snmp.shutdown()
        await counter.stop()
        #expect(requestsAtCancel >= 40)
        #expect(afterOneSecond == afterTwoSeconds, "no SNMP request is sent more than a second after cancellation")
        #expect(afterOneSecond <= requestsAtCancel + 16)
        #expect(afterTwoSeconds < 126 * 4)
    }

    @Test func slash22IsSweptAtTheEngineRateWithEveryHostOnce() async throws {
        // 1,022 requests at 1,000 per second (bucket of 10) cannot take less than ~1.01 s.
        let icmp = try ICMPTest.engine(maxPacketsPerSecond: 1_000)
        let snmp = try SNMPEngine()
        let network = "127.\(Int.random(in: 200...254)).\(Int.random(in: 0...63) * 4).0"
        let targets = try DiscoveryTargets(include: ["\(network)/22"])
        let events = try await collect(
            DiscoverySweeper(icmp: icmp, snmp: snmp).sweep(
                targets, configuration: DiscoveryConfiguration(concurrency: 64, snmpProbing: .disabled)))
        let counters = icmp.counters
        await icmp.shutdown()
        await snmp.shutdown()

        let found = events.compactMap { event -> String? in
            if case .hostFound(let host) = event { host.address } else { nil }
        }
        #expect(found.count == 1_022 && Set(found) == Set(targets))
        guard case .finished(let summary) = events.last else {
            Issue.record("no finished event")
            return
        }
        #expect(
            summary.progress.scanned == 1_022 && summary.progress.responded == 1_022 && summary.progress.identified == 0
        )
        #expect(summary.duration >= .milliseconds(1_010) && summary.duration < .seconds(10))
        #expect(counters.sent == 1_022 && counters.received == 1_022)
    }

    @Test func ipv6LoopbackIsSwept() async throws {
        let icmp = try ICMPTest.engine()
        let snmp = try SNMPEngine()
        let events = try await collect(
            DiscoverySweeper(icmp: icmp, snmp: snmp).sweep(
                try DiscoveryTargets(include: ["::1/128"]),
                configuration: DiscoveryConfiguration(snmpProbing: .disabled)))
        await icmp.shutdown()
        await snmp.shutdown()
        let hosts = events.compactMap { event -> DiscoveredHost? in
            if case .hostFound(let host) = event { host } else { nil }
        }
        #expect(hosts.map(\.address) == ["::1"])
        #expect(hosts.first?.respondsToICMP == true && hosts.first?.macAddress == nil)
    }

    @Test(arguments: [
        (DiscoveryConfiguration(concurrency: 0), "concurrency 0 outside 1...4096"),
        (DiscoveryConfiguration(icmpRetries: 11), "ICMP retries 11 outside 0...10"),
        (
            DiscoveryConfiguration(icmpTimeout: .zero, snmpProbing: .disabled),
            "ICMP: timeout 0.0 seconds outside 1 ms...60 s"
        ),
        (DiscoveryConfiguration(), "SNMP probing needs at least one candidate credential"),
        (
            DiscoveryConfiguration(credentials: [.v2c(community: "fine"), .v2c(community: "")]),
            "credential 1: invalid target: community must be 1...255 bytes without NUL"
        ),
        (
            DiscoveryConfiguration(credentials: [
                .v3(SNMPv3User(userName: "u", authentication: .init(.sha1, passphrase: "short")))
            ]),
            "credential 0: invalid target: v3 passphrases must be 8...255 bytes without NUL"
        ),
        (
            DiscoveryConfiguration(credentials: [.v2c(community: "fine")], snmpTimeout: .milliseconds(1)),
            "credential 0: invalid target: timeout must lie in 10 ms...60 s"
        ),
    ])
    func badConfigurationIsRefusedBeforeAnyProbe(configuration: DiscoveryConfiguration, message: String) async throws {
        let icmp = try ICMPTest.engine()
        let snmp = try SNMPEngine()
        let error = #expect(throws: DiscoveryConfigurationError.self) {
            _ = try DiscoverySweeper(icmp: icmp, snmp: snmp).sweep(
                try DiscoveryTargets(include: ["127.0.0.1"]), configuration: configuration)
        }
        #expect(error?.description == message)
        let sent = icmp.counters.sent
        await icmp.shutdown()
        await snmp.shutdown()
        #expect(sent == 0)
    }

    private func collect(_ stream: AsyncStream<DiscoveryEvent>) async -> [DiscoveryEvent] {
        var events: [DiscoveryEvent] = []
        for await event in stream { events.append(event) }
        return events
    }
}
