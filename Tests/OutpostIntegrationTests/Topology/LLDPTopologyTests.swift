import Foundation
import Logging
import OutpostCore
import OutpostProbes
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

/// The agent's neighbour walks against real lldpd (AgentX subagent of each namespace's snmpd)
/// on a branch of namespaces, written by the collector's writer into `network_topology`
/// (`docs/topology.md`): router r – switch s1 – switch s2, host h1 on s1, host h2 on s2.
@Suite(
    "LLDP topology of a namespace branch with lldpd", .tags(.root, .netns, .snmp, .postgres, .timing),
    .needsQuietMachine, .needsNetworkNamespaces, .needsSnmpd, .needsLLDPD, .needsPostgres)
struct LLDPTopologyTests {
    static let names = ["r", "s1", "s2", "h1", "h2"]
    static let wiring = [(0, 1), (1, 2), (1, 3), (2, 4)]
    static let logger = Logger(label: "lldp-topology-test")

    /// Edges as `device:port>device:port`, as the wiring says they should be seen (both ways).
    static func expected(_ links: [LLDPBranch.Link]) -> Set<String> {
        Set(
            links.flatMap {
                ["\($0.from):\($0.fromPort)>\($0.to):\($0.toPort)", "\($0.to):\($0.toPort)>\($0.from):\($0.fromPort)"]
            })
    }

    static func active(_ db: PostgresConnection) async throws -> Set<String> {
        Set(
            try await db.strings(
                """
                SELECT s.name || ':' || t.interface_name || '>' || coalesce(d.name, '?') || ':' || t.target_interface
                FROM network_topology t JOIN standalone_devices s ON s.id = t.source_device_id
                LEFT JOIN standalone_devices d ON d.id = t.target_device_id
                WHERE t.is_active AND t.connection_type = 'lldp'
                """))
    }

    @Test(
        "the discovered topology equals the wiring; the router down suppresses the alerts behind it; a cut link ages out"
    )
    func discoverAgeAndDepend() async throws {
        let branch = try await LLDPBranch(names: Self.names, wiring: Self.wiring)
        defer { branch.close() }
        let engine = try SNMPEngine()
        let poller = NeighbourPoller(engine: engine, logger: Self.logger)
        try await TestDatabase.withMigrated { db, database in
            let branchID = try await Fixture.branch("lldp", on: db)
            var devices: [String: UUID] = [:]
            for node in branch.nodes {
                devices[node.name] = try await Fixture.device(
                    node.name, ip: node.managementAddress, branch: branchID, on: db)
            }
            try await db.query(
                "UPDATE branches SET gateway_device_id = \(devices["r"]!) WHERE id = \(branchID)",
                logger: Self.logger)
            let writer = NeighbourWriter(maximumAge: 3, logger: Self.logger)
            /// One walk of every node, written as the collector writes what agents send.
            func pollAll() async throws {
                for node in branch.nodes {
                    if let report = await poller.walk(devices[node.name]!, at: node.snmpd.v2c) {
                        try await writer.write(report.validated(), branch: branchID, on: db)
                    }
                }
            }
            let wired = Self.expected(branch.links)
            let discovered = try await eventually(within: .seconds(20), every: .milliseconds(500)) {
                try await pollAll()
                return try await Self.active(db)
            } until: {
                $0 == wired
            }
            #expect(discovered == wired)
            #expect(
                try await db.integer(
                    "SELECT count(*) FROM network_topology WHERE management_address IS NULL OR remote_chassis_id IS NULL"
                )
                    == 0)
            let tree = try await TopologyStore(logger: Self.logger).dependencies(branches: [branchID], on: db)
            let name = Dictionary(uniqueKeysWithValues: devices.map { ($0.value, $0.key) })
            #expect(tree.upstream(of: devices["h2"]!).map { name[$0]! } == ["s2", "s1", "r"])
            #expect(tree.upstream(of: devices["h1"]!).map { name[$0]! } == ["s1", "r"])
            try await Self.routerDown(devices, branch: branchID, db: db, database: database)

            // Cut s2–h2: while the others keep being listed, that edge (both ways) ages out.
            let cut = branch.links[3]
            try branch.cut(cut)
            let remaining = Self.expected(Array(branch.links.prefix(3)))
            let after = try await eventually(within: .seconds(20), every: .milliseconds(500)) {
                try await pollAll()
                return try await Self.active(db)
            } until: {
                $0 == remaining
            }
            #expect(after == remaining)
            #expect(
                try await db.integer(
                    "SELECT count(*) FROM network_topology WHERE NOT is_active AND aged_out_at IS NOT NULL")
                    == 2)
            let cutTree = try await TopologyStore(logger: Self.logger).dependencies(branches: [branchID], on: db)
            #expect(cutTree.upstream(of: devices["h2"]!).map { name[$0]! } == ["r"])
        }
        await engine.shutdown()
    }
}
