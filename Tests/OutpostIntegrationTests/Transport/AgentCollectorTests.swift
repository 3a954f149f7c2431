import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import OutpostAgent
import OutpostCollector
import OutpostCore
import OutpostPKI
import OutpostStore
import OutpostTestSupport
import OutpostTransport
import OutpostWire
import PostgresNIO
import Synchronization
import Testing

@Suite("Agent ↔ collector over mutual TLS", .tags(.postgres), .needsPostgres)
struct AgentCollectorTests {
    static let logger = Logger(label: "outpost.test.transport")

    @Test(
        "results spooled during an outage arrive exactly once after connect, across a collector restart, with the branch's configuration"
    )
    func outageAndRestart() async throws {
        try await TransportFixture.withAgent("agent-a", devices: 5) { db, database, fixture, credentials, devices in
            let spool = try Spool.open(directory: fixture.directory + "/spool", logger: Self.logger)
            // The WAN is down: 200 batches pile up in the spool.
            let start = Date()
            try await TransportFixture.spool(
                (0..<200).map { start + Double($0) }, of: credentials, devices: devices, into: spool)
            let configurations = Mutex<[AgentConfiguration]>([])
            let identity = try UplinkIdentity(stateDirectory: fixture.stateDirectory(of: "agent-a"))
            let makeUplink = { @Sendable (address: CollectorAddress) in
                Uplink(
                    configuration: .init(collectors: [address]), identity: identity, spool: spool, logger: Self.logger,
                    configurationVersion: { nil },
                    applyConfiguration: { snapshot in
                        if let configuration = try? AgentConfiguration(encoded: snapshot.payload) {
                            configurations.withLock { $0.append(configuration) }
                        }
                    })
            }
            // First collector run: takes part of the backlog, then "crashes".
            try await fixture.withCollector(database: database.url) { address in
                let uplink = makeUplink(address)
                let task = Task { await uplink.run() }
                _ = try await database.eventually("SELECT least(count(*), 1) FROM ping_results", equals: 1)
                task.cancel()
                await task.value
            }
            // More results while the collector is away, then a second collector run.
            try await TransportFixture.spool(
                (200..<300).map { start + Double($0) }, of: credentials, devices: devices, into: spool)
            try await fixture.withCollector(database: database.url) { address in
                let uplink = makeUplink(address)
                let task = Task { await uplink.run() }
                let rows = try await database.eventually("SELECT count(*) FROM ping_results", equals: 300 * 5)
                #expect(rows == 300 * 5)
                let acknowledged = try await database.eventually("SELECT high_water FROM agent_sequences", equals: 300)
                #expect(acknowledged == 300)
                task.cancel()
                await task.value
            }
            #expect(
                try await db.integer(
                    "SELECT count(*) FROM (SELECT device_id, timestamp FROM ping_results GROUP BY 1, 2 HAVING count(*) > 1) d"
                ) == 0)
            #expect(await spool.stats.acknowledgedThrough >= 290)  // the last acks may still be in flight at cancel
            let received = configurations.withLock { $0 }
            #expect(received.count == 2)
            #expect(Set(received.last?.devices.map(\.id) ?? []) == Set(devices.map(\.uuid)))
            #expect(try await db.strings("SELECT coalesce(version, '-') FROM agents") == ["outpost-agent/0.1"])
            await spool.close()
        }
    }

    @Test("a tampered batch and a batch signed by another agent are refused; the session keeps serving")
    func tamperedBatches() async throws {
        try await TransportFixture.with { db, database, fixture in
            let alice = try await fixture.enrolAgent("alice", db: db)
            let mallory = try await fixture.enrolAgent("mallory", db: db)
            let devices = try await fixture.addDevices(1, db: db)
            try await fixture.withCollector(database: database.url) { address in
                try await RawAgentConnection.withSession(alice, to: address) { _, inbound, outbound in

                    let good = try TransportFixture.signedBatch(alice, sequence: 1, devices: devices, at: Date())
                    var bytes = good.encodedBatch
                    bytes[bytes.count / 2] ^= 0x01
                    let tampered = try SignedBatch(serializedBytes: Self.resign(bytes, signature: good.signature))
                    try await outbound.write(.batch(tampered))
                    #expect(try await inbound.next() == .nack(Nack(sequence: 1, reason: .invalidSignature)))

                    // Mallory's key and identity, sent on Alice's session.
                    let foreign = try TransportFixture.signedBatch(mallory, sequence: 1, devices: devices, at: Date())
                    try await outbound.write(.batch(foreign))
                    #expect(try await inbound.next() == .nack(Nack(sequence: 1, reason: .invalidSignature)))

                    try await outbound.write(.batch(good))
                    #expect(try await inbound.next() == .ack(Ack(sequence: 1)))
                    try await outbound.write(.batch(good))  // a replay: acknowledged, not written again
                    #expect(try await inbound.next() == .ack(Ack(sequence: 1)))
                }
            }
            #expect(try await db.integer("SELECT count(*) FROM ping_results") == 1)
        }
    }

    @Test("revoked, unregistered and foreign-CA agents are refused")
    func refusedIdentities() async throws {
        try await TransportFixture.with { db, database, fixture in
            let revoked = try await fixture.enrolAgent("revoked", db: db)
            let unregistered = try await fixture.enrolAgent("unregistered", db: db)
            try await db.query("DELETE FROM agents WHERE name = 'unregistered'", logger: TestDatabase.logger)
            let foreignFixture = try await TransportFixture.foreign()
            _ = try await AgentRegistry(logger: Self.logger).revoke(
                revoked.agentID, reason: "test", by: AuditActor(name: "test", source: "test"), on: db)
            try await fixture.withCollector(database: database.url) { address in
                #expect(await Self.isRefused(revoked, at: address), "a revoked certificate got a session")
                #expect(await Self.isRefused(foreignFixture, at: address), "a foreign CA's certificate got a session")
                try await RawAgentConnection.with(unregistered, to: address) { inbound, outbound in
                    try await outbound.write(.hello(.raw))
                    guard case .error(let error)? = try await inbound.next() else {
                        Issue.record("expected Error")
                        return
                    }
                    #expect(error.code == .unauthorized)
                }
                // An independent TLS client without a certificate gets no session.
                let output = try await Self.opensslWithoutClientCertificate(port: address.port)
                #expect(output.lowercased().contains("alert certificate required"), "openssl s_client said: \(output)")
            }
        }
    }

    @Test("revoking an agent ends its live session within 5 s and refuses it from then on")
    func revocationDropsLiveSession() async throws {
        try await TransportFixture.with { db, database, fixture in
            let agent = try await fixture.enrolAgent("to-revoke", db: db)
            try await fixture.withCollector(database: database.url) { address in
                try await RawAgentConnection.withSession(agent, to: address) { _, inbound, outbound in
                    let revoker = try await database.connect()
                    _ = try await AgentRegistry(logger: Self.logger).revoke(
                        agent.agentID, reason: "test", by: AuditActor(name: "test", source: "test"), on: revoker)
                    try await revoker.close()
                    let revokedAt = ContinuousClock.now
                    // The collector closes the connection: the stream ends (or fails) without another message.
                    let next = try? await inbound.next()
                    #expect(next == nil)
                    #expect(revokedAt.duration(to: .now) < .seconds(5))
                }
                // A new connection with the revoked certificate gets no session.
                #expect(await Self.isRefused(agent, at: address), "a revoked certificate got a session")
            }
        }
    }

    @Test(
        "garbage, a wrong version byte and an oversized length get an Error frame and close only that connection; the collector keeps serving"
    )
    func malformedFramesCloseOnlyThatConnection() async throws {
        try await TransportFixture.with { db, database, fixture in
            let agent = try await fixture.enrolAgent("fuzzy", db: db)
            try await fixture.withCollector(database: database.url) { address in
                let garbage: [[UInt8]] = [
                    Array("GET / HTTP/1.1\r\n\r\n".utf8),
                    [9, 1, 0, 0, 0, 0],  // protocol version 9
                    [1, 1, 0xFF, 0xFF, 0xFF, 0xFF],  // a 4 GiB payload announced
                ]
                for bytes in garbage {
                    try await RawAgentConnection.withBytes(agent, to: address) { inbound, outbound in
                        try await outbound.write(ByteBuffer(bytes: bytes))
                        // The collector answers with one Error frame naming the violation, then closes.
                        var received: [UInt8] = []
                        while let buffer = try? await inbound.next() { received += buffer.readableBytesView }
                        let decoded = try FrameDecoder().decodeFrame(in: received)
                        let (frame, consumed) = try #require(decoded, "no whole frame in reply to \(bytes.prefix(6))")
                        #expect(consumed == received.count)
                        guard case .error(let error) = try Message(frame: frame) else {
                            Issue.record("not an Error frame")
                            return
                        }
                        #expect(error.code == .protocolViolation)
                        #expect(error.message.hasPrefix("malformed frame"))
                    }
                }
                // A well-behaved session on the same listener still works.
                try await RawAgentConnection.with(agent, to: address) { inbound, outbound in
                    try await outbound.write(.hello(.raw))
                    guard case .welcome = try await inbound.next() else {
                        Issue.record("no Welcome after garbage sessions")
                        return
                    }
                }
            }
        }
    }

    /// Whether the collector refuses a session to `credentials`: the TLS handshake fails, or
    /// (TLS 1.3: the client finishes its handshake before the server judges its certificate)
    /// the connection ends without a Welcome.
    static func isRefused(_ credentials: AgentCredentials, at address: CollectorAddress) async -> Bool {
        do {
            var welcomed = false
            try await RawAgentConnection.with(credentials, to: address) { inbound, outbound in
                try await outbound.write(.hello(.raw))
                if case .welcome? = try await inbound.next() { welcomed = true }
            }
            return !welcomed
        } catch {
            return true
        }
    }

    /// Re-assembles a signed batch's stored form from altered bytes and the original signature.
    static func resign(_ encodedBatch: [UInt8], signature: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [1]
        var length = UInt64(encodedBatch.count)
        repeat {
            var byte = UInt8(length & 0x7f)
            length >>= 7
            if length > 0 { byte |= 0x80 }
            bytes.append(byte)
        } while length > 0
        return bytes + encodedBatch + signature
    }

    static func opensslWithoutClientCertificate(port: Int) async throws -> String {
        let input = NSTemporaryDirectory() + "empty-" + UUID().uuidString
        _ = FileManager.default.createFile(atPath: input, contents: Data())
        defer { try? FileManager.default.removeItem(atPath: input) }
        // In TLS 1.3 the server judges the client certificate after the client finished its
        // handshake; `-ign_eof` keeps s_client reading after its (empty) stdin ends, so it
        // reports the server's alert. `timeout` bounds a misbehaving run.
        return try await Command.output(
            "/bin/sh",
            [
                "-c",
                "timeout 10 openssl s_client -connect 127.0.0.1:\(port) -tls1_3 -brief -ign_eof < \(input) 2>&1 || true",
            ])
    }
}

extension TransportFixture {
    /// Credentials issued by a CA the collector does not know.
    static func foreign() async throws -> AgentCredentials {
        let ca = try CertificateAuthority.create(commonName: "Outpost CA")
        let state = AgentStateDirectory(path: NSTemporaryDirectory() + "outpost-foreign-" + UUID().uuidString.prefix(8))
        try FileManager.default.createDirectory(atPath: state.path, withIntermediateDirectories: true)
        let key = try state.createKey()
        let issued = try ca.issueAgentCertificate(csr: try key.makeCertificateSigningRequest(), branch: "tbilisi-1")
        try state.storeEnrolment(certificate: issued.certificate, caCertificate: ca.certificate)
        return try state.loadCredentials()
    }
}
