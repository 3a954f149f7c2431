import Foundation
import Logging
import NIOCore
import OutpostAgent
import OutpostCore
import OutpostPKI
import OutpostTestSupport
import OutpostWire
import PostgresNIO
import Testing

/// The agent's health summary end to end: a real uplink's heartbeats carry it, the collector
/// stores it as the session's agent's, and nothing in a message can make it another agent's.
@Suite("Agent health over mutual TLS", .tags(.postgres), .needsPostgres)
struct AgentHealthTests {
    static let logger = Logger(label: "outpost.test.health")

    static func health(_ version: String, pending: UInt64) -> AgentHealth {
        AgentHealth(
            agentVersion: version, residentBytes: 40 << 20, anonymousBytes: 20 << 20, spoolBytes: 1 << 20,
            spoolPendingBatches: pending, spoolDroppedBatches: 0, spoolDroppedResults: 0, roundsOverrun: 0,
            icmpDemandPerSecond: 100, icmpCeilingPerSecond: 2000)
    }

    @Test("a real uplink reports its version, memory, spool and ping load in heartbeats, again and again while busy")
    func uplinkReportsHealth() async throws {
        try await TransportFixture.withAgent("agent-health", devices: 2) {
            db, database, fixture, credentials, devices in
            let spool = try Spool.open(directory: fixture.directory + "/spool", logger: Self.logger)
            try await TransportFixture.spool(
                (0..<30).map { Date() + Double($0) }, of: credentials, devices: devices, into: spool)
            try await fixture.withCollector(database: database.url) { address in
                var configuration = Uplink.Configuration(collectors: [address])
                configuration.agentVersion = "outpost-agent/9.9-health"
                configuration.heartbeatInterval = .milliseconds(200)
                let uplink = Uplink(
                    configuration: configuration,
                    identity: try UplinkIdentity(stateDirectory: fixture.stateDirectory(of: "agent-health")),
                    spool: spool, logger: Self.logger, configurationVersion: { nil }, applyConfiguration: { _ in },
                    health: AgentHealthSources(pingLoad: {
                        PingLoad(demandPacketsPerSecond: 5000, ceilingPacketsPerSecond: 2000, roundsOverrun: 3)
                    }))
                let task = Task { await uplink.run() }
                defer { task.cancel() }
                // Once every batch is acknowledged a later summary says so: they keep coming.
                _ = try await database.eventually("SELECT count(*) FROM ping_results", equals: 60)
                let settled = try await database.eventually(
                    "SELECT count(*) FROM agent_health WHERE spool_pending_batches = 0", equals: 1)
                #expect(settled == 1)
                task.cancel()
                await task.value
            }
            let rows = try await db.query(
                """
                SELECT h.agent_id, h.agent_version, h.resident_bytes, h.anonymous_bytes, h.spool_bytes,
                       h.rounds_overrun, h.icmp_demand_pps, h.icmp_ceiling_pps,
                       extract(epoch FROM now() - h.received_at)::float8, extract(epoch FROM now() - a.last_seen)::float8,
                       a.spool_backlog_batches
                FROM agent_health h JOIN agents a ON a.id = h.agent_id
                """, logger: Self.logger)
            var found = 0
            for try await (
                agent, version, resident, anonymous, spoolBytes, overrun, demand, ceiling, age, seen, backlog
            )
                in rows.decode(
                    (UUID, String, Int64, Int64, Int64, Int64, Int64, Int64, Double, Double, Int64).self)
            {
                found += 1
                #expect(agent == credentials.agentID.uuid)
                #expect(version == "outpost-agent/9.9-health")
                #expect(resident > 1 << 20, "the test process's real RSS")
                #expect(anonymous > 0 && anonymous <= resident)
                #expect(spoolBytes > 0)
                #expect(overrun == 3 && demand == 5000 && ceiling == 2000)
                #expect(age < 60 && seen < 60)
                #expect(backlog == 0)
            }
            #expect(found == 1)
            await spool.close()
        }
    }

    @Test("a summary is stored as its session's agent's: another agent's session never writes that row")
    func ownRowOnly() async throws {
        try await TransportFixture.with { db, database, fixture in
            let alice = try await fixture.enrolAgent("alice", db: db)
            let mallory = try await fixture.enrolAgent("mallory", db: db)
            let versions =
                "SELECT coalesce(string_agg(a.name || '=' || h.agent_version, ',' ORDER BY a.name), '-') FROM agent_health h JOIN agents a ON a.id = h.agent_id"
            try await fixture.withCollector(database: database.url) { address in
                try await RawAgentConnection.withSession(alice, to: address) { _, inbound, outbound in
                    try await outbound.write(
                        .heartbeat(Heartbeat(timestamp: Date(), health: Self.health("alice-1", pending: 1))))
                    guard case .heartbeat(let answer)? = try await inbound.next() else {
                        Issue.record("no heartbeat answered")
                        return
                    }
                    #expect(answer.health == nil, "a collector's heartbeat carries no summary")
                    #expect(try await database.eventually(versions, equals: "alice=alice-1") == "alice=alice-1")
                }
                let aliceRow = try await db.strings(
                    "SELECT received_at::text || '|' || spool_pending_batches FROM agent_health WHERE agent_id = '\(alice.agentID.uuid)'"
                )
                try await RawAgentConnection.withSession(mallory, to: address) { _, _, outbound in
                    for round in 1...3 {
                        try await outbound.write(
                            .heartbeat(Heartbeat(timestamp: Date(), health: Self.health("alice-\(round)", pending: 99)))
                        )
                    }
                    _ = try await database.eventually(versions, equals: "alice=alice-1,mallory=alice-3")
                }
                #expect(try await db.strings(versions) == ["alice=alice-1,mallory=alice-3"])
                #expect(
                    try await db.strings(
                        "SELECT received_at::text || '|' || spool_pending_batches FROM agent_health WHERE agent_id = '\(alice.agentID.uuid)'"
                    ) == aliceRow)
            }
        }
    }

    @Test("an oversized version in a heartbeat ends only that session with an Error naming the field")
    func hostileSummary() async throws {
        try await TransportFixture.with { db, database, fixture in
            let agent = try await fixture.enrolAgent("hostile", db: db)
            try await fixture.withCollector(database: database.url) { address in
                var payload: [UInt8] = [0x80, 0x80, 0x92, 0x96, 0xa8, 0x96, 0xa2, 0x06]  // a timestamp
                payload += [0x80, 0x02] + Array(repeating: UInt8(ascii: "a"), count: 256)  // a 256-byte version
                payload += Array(repeating: 0, count: 9)
                let bytes =
                    try Message.hello(.raw).encodedFrame() + Frame(type: .heartbeat, payload: payload).encoded()
                try await RawAgentConnection.withBytes(agent, to: address) { inbound, outbound in
                    try await outbound.write(ByteBuffer(bytes: bytes))
                    var received: [UInt8] = []
                    while let buffer = try? await inbound.next() { received += buffer.readableBytesView }
                    var messages: [Message] = []
                    var rest = received[...]
                    while let decoded = try FrameDecoder().decodeFrame(in: Array(rest)) {
                        messages.append(try Message(frame: decoded.frame))
                        rest = rest.dropFirst(decoded.consumed)
                    }
                    guard case .error(let error)? = messages.last else {
                        Issue.record("no Error frame: \(messages.map { String(describing: $0).prefix(20) })")
                        return
                    }
                    #expect(error.code == .protocolViolation)
                    #expect(error.message.contains("heartbeat.health.agentVersion"))
                }
                #expect(try await db.integer("SELECT count(*) FROM agent_health") == 0)
                // The listener serves the next session as usual.
                try await RawAgentConnection.withSession(agent, to: address) { _, _, outbound in
                    try await outbound.write(
                        .heartbeat(Heartbeat(timestamp: Date(), health: Self.health("fixed", pending: 0))))
                    _ = try await database.eventually("SELECT count(*) FROM agent_health", equals: 1)
                }
            }
        }
    }
}
