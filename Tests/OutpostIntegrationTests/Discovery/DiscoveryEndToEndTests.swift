import Foundation
import Logging
import NIOCore
import NIOPosix
import OutpostAgent
import OutpostCollector
import OutpostCore
import OutpostPKI
import OutpostProbes
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Synchronization
import Testing

/// A real collector (mTLS listener, ingest, discovery dispatcher) and a real agent (uplink,
/// spool, batcher, job runner with the raw-socket ICMP engine) on loopback.
@Suite(
    "Discovery: collector dispatches, agent sweeps, results imported", .serialized,
    .tags(.root, .postgres, .netns, .snmp, .timing), .needsQuietMachine, .needsPostgres, .needsNetworkNamespaces,
    .needsSnmpd)
struct DiscoveryEndToEndTests {
    static let logger = Logger(label: "outpost.test.discovery")

    /// A /29 or larger block of 127/8 no other test uses.
    static func randomBlock(prefixLength: Int) -> String {
        let size = 1 << (32 - prefixLength)
        let third = Int.random(in: 0...255)
        let fourth = size >= 256 ? 0 : Int.random(in: 0..<(256 / size)) * size
        let second = Int.random(in: 200...249)
        let thirdAligned = size > 256 ? (third / (size / 256)) * (size / 256) : third
        return "127.\(second).\(thirdAligned).\(fourth)/\(prefixLength)"
    }

    /// The agent side: spool, batcher, job runner and uplink, running until cancelled.
    struct Agent {
        let runner: JobRunner
        let task: Task<Void, Never>

        static func start(
            _ fixture: TransportFixture, name: String, collector: CollectorAddress, packetsPerSecond: Int = 10_000
        ) async throws -> Agent {
            let identity = try UplinkIdentity(stateDirectory: fixture.stateDirectory(of: name))
            let spool = try Spool.open(
                directory: fixture.directory + "/\(name)-spool", logger: DiscoveryEndToEndTests.logger)
            let icmp = try ICMPEngine(
                configuration: .init(socketMode: .raw, maxPacketsPerSecond: packetsPerSecond),
                logger: DiscoveryEndToEndTests.logger)
            let snmp = try SNMPEngine()
            let (results, sink) = AsyncStream.makeStream(of: ProbeResult.self)
            let runner = JobRunner(
                sweeper: DiscoverySweeper(icmp: icmp, snmp: snmp), logger: DiscoveryEndToEndTests.logger
            ) { sink.yield(.finding($0)) }
            let credentials = identity.credentials
            let batcher = Batcher(
                agentID: credentials.agentID, key: credentials.privateKey, spool: spool,
                maximumDelay: .milliseconds(200),
                logger: DiscoveryEndToEndTests.logger)
            let uplink = Uplink(
                configuration: .init(collectors: [collector]), identity: identity, spool: spool,
                logger: DiscoveryEndToEndTests.logger,
                configurationVersion: { nil }, applyConfiguration: { _ in }, jobs: runner)
            let task = Task {
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { await spool.run() }
                    group.addTask { await batcher.run(results) }
                    group.addTask { await uplink.run() }
                    // Runs until the test cancels the agent: the uplink ends, then the rest.
                    await withTaskCancellationHandler {
                        while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
                    } onCancel: {
                        sink.finish()
                    }
                    group.cancelAll()
                }
                await spool.close()
                await icmp.shutdown()
                await snmp.shutdown()
            }
            return Agent(runner: runner, task: task)
        }

        func stop() async {
            task.cancel()
            await task.value
        }
    }

    /// A dispatcher polling for new jobs every 100 ms, so a test waits little for one to start.
    static var dispatcher: DiscoveryDispatcher.Configuration {
        var configuration = DiscoveryDispatcher.Configuration()
        configuration.pollInterval = .milliseconds(100)
        return configuration
    }

    static func rule(
        _ fixture: TransportFixture, block: String, credentials: [UUID] = [], snmpPort: Int = 161,
        db: PostgresConnection
    ) async throws
        -> DiscoveryRuleRecord
    {
        let rule = DiscoveryRuleRecord(
            name: "lan \(block)", ranges: [block], snmp: !credentials.isEmpty, credentialIDs: credentials,
            branchID: fixture.branchID, autoImport: true, snmpPort: snmpPort)
        try await DiscoveryRuleStore(logger: logger).add(rule, by: .commandLine(), on: db)
        return rule
    }

    /// Adds to the database, sealed with `key`, one SNMP community credential per name in
    /// `communities` (named and valued alike); returns their ids in that order.
    static func addCredentials(_ communities: [String], sealedWith key: MasterKey, db: PostgresConnection)
        async throws -> [UUID]
    {
        let store = DiscoveryRuleStore(logger: logger)
        var ids: [UUID] = []
        for community in communities {
            let credential = try key.seal(.community(community), discoveryCredential: UUID(), name: community)
            try await store.addCredential(credential, by: AuditActor(name: "test", source: "test"), on: db)
            ids.append(credential.id)
        }
        return ids
    }

    /// SNMP that never answers: the id of a credential named "silent", sealed with `key` and added
    /// to the database, and a UDP socket on every address that never replies, with its port (SNMP
    /// sent there waits for its timeout). The caller closes the socket.
    static func silentSNMP(sealedWith key: MasterKey, db: PostgresConnection) async throws
        -> (credential: UUID, socket: any Channel, port: Int)
    {
        let credential = try key.seal(.community("never-answered"), discoveryCredential: UUID(), name: "silent")
        try await DiscoveryRuleStore(logger: logger).addCredential(
            credential, by: AuditActor(name: "test", source: "test"), on: db)
        let socket = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(
            host: "0.0.0.0", port: 0
        ).get()
        return (credential.id, socket, try #require(socket.localAddress?.port))
    }

    /// Runs a collector with ``dispatcher`` (opening credentials with `masterKey`) and the agent
    /// enrolled as `name` connected to it for the length of `body`, then stops the agent.
    static func withCollectorAndAgent(
        _ fixture: TransportFixture, name: String, database: TestDatabase, masterKey: MasterKey,
        _ body: @escaping @Sendable (CollectorAddress, Agent) async throws -> Void
    ) async throws {
        try await fixture.withCollector(database: database.url, masterKey: masterKey, discovery: dispatcher) {
            address in
            let agent = try await Agent.start(fixture, name: name, collector: address)
            try await body(address, agent)
            await agent.stop()
        }
    }

    static func state(_ job: UUID) -> String {
        "SELECT status || ' ' || discovered_devices || ' ' || imported_devices FROM discovery_jobs WHERE id = '\(job.uuidString)'"
    }

    @Test(
        "a job created while the agent is offline waits, runs when it connects, finds every live host and imports each once"
    )
    func offlineThenImportOnce() async throws {
        try await TransportFixture.with { db, database, fixture in
            _ = try await fixture.enrolAgent("agent-d", db: db)
            let block = Self.randomBlock(prefixLength: 29)
            let rule = try await Self.rule(fixture, block: block, db: db)
            let jobs = DiscoveryJobStore(logger: Self.logger)
            let first = try #require(try await jobs.createJob(rule: rule.id, triggeredBy: "manual", on: db))
            try await fixture.withCollector(database: database.url, discovery: Self.dispatcher) { address in
                // The collector runs, the agent does not: the job stays pending.
                try await Task.sleep(for: .milliseconds(500))
                #expect(
                    try await database.eventually(Self.state(first), equals: "pending 0 0", within: .zero)
                        == "pending 0 0")

                let agent = try await Agent.start(fixture, name: "agent-d", collector: address)
                // Every address of the /29 but network and broadcast answers ICMP on loopback.
                let firstState = try await database.eventually(Self.state(first), equals: "completed 6 6")
                #expect(firstState == "completed 6 6")
                let connection = try await database.connect()
                #expect(
                    try await connection.integer(
                        "SELECT count(*) FROM standalone_devices WHERE branch_id = '\(fixture.branchID.uuidString)'")
                        == 6)
                #expect(
                    try await connection.integer(
                        "SELECT scanned_ips FROM discovery_jobs WHERE id = '\(first.uuidString)'") == 6)

                let second = try #require(try await jobs.createJob(rule: rule.id, triggeredBy: "manual", on: db))
                let secondState = try await database.eventually(Self.state(second), equals: "completed 6 0")
                #expect(secondState == "completed 6 0", "a second run finds the same hosts and imports nothing new")
                #expect(try await connection.integer("SELECT count(*) FROM standalone_devices") == 6)
                #expect(
                    try await connection.integer(
                        "SELECT count(*) FROM discovery_results WHERE matched_device_id IS NOT NULL") == 6)
                try await connection.close()
                await agent.stop()
            }
        }
    }

    @Test("an agent gone mid-job leaves the job failed with the reason, never running; a cancelled job stops")
    func agentGoneAndCancel() async throws {
        try await TransportFixture.with { db, database, fixture in
            _ = try await fixture.enrolAgent("agent-e", db: db)
            // Every host of a /21 answers ICMP, then waits 1 s for SNMP from a socket that never
            // answers: 2,046 hosts, 256 at once, about 8 s of sweeping. The credential is sealed
            // in the database and opened by the dispatcher.
            let key = MasterKey.generate()
            let (credential, blackHole, port) = try await Self.silentSNMP(sealedWith: key, db: db)
            defer { blackHole.close(promise: nil) }
            let rule = try await Self.rule(
                fixture, block: Self.randomBlock(prefixLength: 21), credentials: [credential], snmpPort: port, db: db
            )
            let jobs = DiscoveryJobStore(logger: Self.logger)
            try await Self.withCollectorAndAgent(fixture, name: "agent-e", database: database, masterKey: key) {
                address, agent in
                let lost = try #require(try await jobs.createJob(rule: rule.id, triggeredBy: "manual", on: db))
                let running = "SELECT status FROM discovery_jobs WHERE id = '\(lost.uuidString)' AND scanned_ips > 0"
                #expect(try await database.eventually(running, equals: "running") == "running")
                await agent.stop()
                let status = "SELECT status FROM discovery_jobs WHERE id = '\(lost.uuidString)'"
                #expect(try await database.eventually(status, equals: "failed", within: .seconds(10)) == "failed")
                let outcome = try await database.eventually(
                    "SELECT status || ': ' || coalesce(error_message, '-') FROM discovery_jobs WHERE id = '\(lost.uuidString)'",
                    equals: "", within: .zero)
                #expect(
                    outcome.hasPrefix("failed: agent ") && outcome.contains("disconnected while the job ran"),
                    "\(outcome)")

                let again = try await Agent.start(fixture, name: "agent-e", collector: address)
                let cancelled = try #require(try await jobs.createJob(rule: rule.id, triggeredBy: "manual", on: db))
                let progressing =
                    "SELECT status FROM discovery_jobs WHERE id = '\(cancelled.uuidString)' AND scanned_ips > 0"
                #expect(try await database.eventually(progressing, equals: "running") == "running")
                let asked = ContinuousClock.now
                #expect(try await jobs.requestCancel(cancelled, by: .commandLine(), on: db) == .running)
                let cancelledStatus = "SELECT status FROM discovery_jobs WHERE id = '\(cancelled.uuidString)'"
                #expect(
                    try await database.eventually(cancelledStatus, equals: "cancelled", within: .seconds(5))
                        == "cancelled")
                #expect(ContinuousClock.now - asked < .seconds(5), "the sweep stopped within seconds")
                #expect(await again.runner.runningJobs.isEmpty)
                await again.stop()
            }
        }
    }

    @Test(
        "a rule over loopback hosts with snmpds identifies exactly those with their vendor and type, imports with templates, once"
    )
    func snmpIdentificationAndTemplates() async throws {
        try await TransportFixture.with { db, database, fixture in
            _ = try await fixture.enrolAgent("agent-s", db: db)
            _ = try await TemplateStore(logger: Self.logger).importTemplates(
                try BuiltinTemplates.all(), builtin: true, by: .commandLine(), on: db)
            let block = Self.randomBlock(prefixLength: 29)
            let base = block.split(separator: "/")[0].split(separator: ".").map { Int($0)! }
            let host = { @Sendable (index: Int) in "\(base[0]).\(base[1]).\(base[2]).\(base[3] + index)" }
            let port = try FreePort.udp()
            let cisco = try await SNMPDaemon(
                host: host(1), port: port, community: "alpha",
                extraConfiguration: """
                    sysObjectID .1.3.6.1.4.1.9.1.1208
                    sysDescr Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E4
                    sysServices 2
                    sysName sw-branch-7
                    """)
            let fortinet = try await SNMPDaemon(
                host: host(2), port: port, community: "beta",
                extraConfiguration: """
                    sysObjectID .1.3.6.1.4.1.12356.101.1.1
                    sysDescr FortiGate-60F v7.2.5
                    sysServices 78
                    sysName fw-branch-7
                    """)
            // An agent none of the candidates opens: ping-only, like the hosts without snmpd.
            let locked = try await SNMPDaemon(host: host(3), port: port, community: "nobody-knows")
            defer { for daemon in [cisco, fortinet, locked] { daemon.stop() } }

            let key = MasterKey.generate()
            let communities = try await Self.addCredentials(["alpha", "beta"], sealedWith: key, db: db)
            let rule = try await Self.rule(
                fixture, block: block, credentials: communities, snmpPort: Int(port), db: db)
            let jobs = DiscoveryJobStore(logger: Self.logger)
            try await Self.withCollectorAndAgent(fixture, name: "agent-s", database: database, masterKey: key) {
                _, _ in
                let first = try #require(try await jobs.createJob(rule: rule.id, triggeredBy: "manual", on: db))
                let firstState = try await database.eventually(Self.state(first), equals: "completed 6 6")
                #expect(firstState == "completed 6 6")
                let connection = try await database.connect()
                let identified = try await connection.strings(
                    """
                    SELECT ip_address || ' ' || vendor || ' ' || device_type || ' ' || snmp_version || ' ' || sys_name
                    FROM discovery_results WHERE job_id = '\(first.uuidString)' AND snmp_reachable ORDER BY ip_address::inet
                    """)
                #expect(
                    identified == [
                        "\(host(1)) Cisco switch v2c sw-branch-7", "\(host(2)) Fortinet firewall v2c fw-branch-7",
                    ])
                #expect(
                    try await connection.integer(
                        """
                        SELECT count(*) FROM discovery_results WHERE job_id = '\(first.uuidString)' AND NOT snmp_reachable
                          AND responds_to_icmp AND device_type = 'unknown'
                        """) == 4)
                let templated = try await connection.strings(
                    """
                    SELECT DISTINCT d.name || ' ' || t.name FROM standalone_devices d
                    JOIN monitoring_items i ON i.device_id = d.id JOIN monitoring_templates t ON t.id = i.template_id ORDER BY 1
                    """)
                #expect(
                    templated.count == 2 && templated[0].hasPrefix("fw-branch-7 ")
                        && templated[1].hasPrefix("sw-branch-7 "), "\(templated)")

                let second = try #require(try await jobs.createJob(rule: rule.id, triggeredBy: "manual", on: db))
                let secondState = try await database.eventually(Self.state(second), equals: "completed 6 0")
                #expect(secondState == "completed 6 0", "a second run imports nothing new")
                #expect(try await connection.integer("SELECT count(*) FROM standalone_devices") == 6)
                try await connection.close()
            }
        }
    }

    @Test(
        "a /24 behind a veth into a namespace: exactly the live hosts, SNMP ones with vendor, type and MAC, imported once"
    )
    func namespaceSlash24() async throws {
        try await TransportFixture.with { db, database, fixture in
            _ = try await fixture.enrolAgent("agent-n", db: db)
            let branch = try NetworkNamespace()
            defer { branch.close() }
            let prefix = branch.linkPrefix
            // .2 (the link) and .20 answer ping only; .10 and .11 run snmpds; the rest of the /24 is silent.
            for host in [10, 11, 20] {
                try branch.inside(["addr", "add", "\(prefix).\(host)/24", "dev", branch.innerInterface])
            }
            let port = try FreePort.udp()
            let launcher = try branch.launcher()
            let router = try await SNMPDaemon(
                host: "\(prefix).10", port: port, community: "alpha",
                extraConfiguration: """
                    sysObjectID .1.3.6.1.4.1.14988.1
                    sysDescr RouterOS RB4011iGS+
                    sysName rt-branch-9
                    """, launcher: launcher)
            let ups = try await SNMPDaemon(
                host: "\(prefix).11", port: port, community: "beta",
                extraConfiguration: """
                    sysObjectID .1.3.6.1.4.1.318.1.3.27
                    sysDescr APC Web/SNMP Management Card
                    sysName ups-branch-9
                    """, launcher: launcher)
            defer { for daemon in [router, ups] { daemon.stop() } }

            let key = MasterKey.generate()
            let communities = try await Self.addCredentials(["alpha", "beta"], sealedWith: key, db: db)
            let rule = try await Self.rule(
                fixture, block: "\(prefix).0/24", credentials: communities, snmpPort: Int(port), db: db)
            let jobs = DiscoveryJobStore(logger: Self.logger)
            try await Self.withCollectorAndAgent(fixture, name: "agent-n", database: database, masterKey: key) {
                _, _ in
                let first = try #require(try await jobs.createJob(rule: rule.id, triggeredBy: "manual", on: db))
                // .1 is the agent host's own end of the link: live too.
                let firstState = try await database.eventually(Self.state(first), equals: "completed 5 5")
                #expect(firstState == "completed 5 5")
                let connection = try await database.connect()
                let found = try await connection.strings(
                    """
                    SELECT ip_address || ' ' || coalesce(vendor, '-') || ' ' || device_type || ' ' || coalesce(sys_name, '-')
                    FROM discovery_results WHERE job_id = '\(first.uuidString)' ORDER BY inet(ip_address)
                    """)
                #expect(
                    found == [
                        "\(prefix).1 - unknown -", "\(prefix).2 - unknown -",
                        "\(prefix).10 MikroTik router rt-branch-9",
                        "\(prefix).11 APC ups ups-branch-9", "\(prefix).20 - unknown -",
                    ])
                let macs = try await connection.strings(
                    """
                    SELECT DISTINCT mac_address FROM discovery_results
                    WHERE job_id = '\(first.uuidString)' AND ip_address <> '\(prefix).1' AND mac_address IS NOT NULL
                    """)
                #expect(macs.count == 1, "the namespace's four addresses share its veth's MAC address: \(macs)")
                #expect(
                    try await connection.integer(
                        "SELECT total_ips FROM discovery_jobs WHERE id = '\(first.uuidString)'") == 254)

                let second = try #require(try await jobs.createJob(rule: rule.id, triggeredBy: "manual", on: db))
                let secondState = try await database.eventually(Self.state(second), equals: "completed 5 0")
                #expect(secondState == "completed 5 0", "a second run imports nothing new")
                try await connection.close()
            }
        }
    }

    @Test(
        "a WAN cut mid-job: the job ends failed with the reason, and the findings the agent made offline still arrive")
    func findingsSurviveAWANCut() async throws {
        try await TransportFixture.with { db, database, fixture in
            _ = try await fixture.enrolAgent("agent-w", db: db)
            // As in the test above: a /21 whose hosts each wait 1 s for SNMP, about 8 s of sweeping.
            let key = MasterKey.generate()
            let (credential, blackHole, snmpPort) = try await Self.silentSNMP(sealedWith: key, db: db)
            defer { blackHole.close(promise: nil) }
            let rule = DiscoveryRuleRecord(
                name: "wan cut", ranges: [Self.randomBlock(prefixLength: 21)], credentialIDs: [credential],
                branchID: fixture.branchID, snmpPort: snmpPort)
            try await DiscoveryRuleStore(logger: Self.logger).add(rule, by: .commandLine(), on: db)
            let jobs = DiscoveryJobStore(logger: Self.logger)
            let job = try #require(try await jobs.createJob(rule: rule.id, triggeredBy: "manual", on: db))
            let listenerPort = try FreePort.tcp()
            let agent = Mutex<Agent?>(nil)
            // The collector the agent reaches first goes away mid-job: the WAN is cut.
            try await fixture.withCollector(
                database: database.url, port: listenerPort, masterKey: key, discovery: Self.dispatcher
            ) { address in
                let started = try await Agent.start(fixture, name: "agent-w", collector: address)
                agent.withLock { $0 = started }
                let running = "SELECT status FROM discovery_jobs WHERE id = '\(job.uuidString)' AND scanned_ips > 0"
                #expect(try await database.eventually(running, equals: "running") == "running")
            }
            let status =
                "SELECT status || ': ' || coalesce(error_message, '-') FROM discovery_jobs WHERE id = '\(job.uuidString)'"
            let failed = try await database.eventually(
                "SELECT status FROM discovery_jobs WHERE id = '\(job.uuidString)'", equals: "failed")
            #expect(failed == "failed")
            let results = "SELECT count(*)::text FROM discovery_results WHERE job_id = '\(job.uuidString)'"
            let beforeReconnect = try await database.eventually(results, equals: "", within: .zero)
            #expect((Int(beforeReconnect) ?? 0) < 2046, "most hosts are found while the WAN is down")
            // The WAN comes back: the agent, still sweeping meanwhile, delivers its spooled findings.
            try await fixture.withCollector(
                database: database.url, port: listenerPort, masterKey: key, discovery: Self.dispatcher
            ) { _ in
                #expect(try await database.eventually(results, equals: "2046", within: .seconds(90)) == "2046")
                let outcome = try await database.eventually(status, equals: "", within: .zero)
                #expect(
                    outcome.hasPrefix("failed: agent ") && outcome.contains("disconnected while the job ran"),
                    "\(outcome)")
                await agent.withLock { $0 }?.stop()
            }
        }
    }
}
