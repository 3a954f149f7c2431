import Foundation
import Logging
import OutpostAgent
import OutpostCollector
import OutpostCore
import OutpostPKI
import OutpostStore
import OutpostTestSupport
import OutpostWire
import Testing
import X509

@Suite("Certificate renewal over the agent's mTLS session", .tags(.postgres), .needsPostgres)
struct CertificateRenewalTests {
    static let logger = Logger(label: "outpost.test.renewal")

    /// A lifetime after which, counting the issuer's clock-skew allowance, 2/3 of the
    /// certificate's life is reached within seconds of issuance (jitter may make it due at once).
    static let shortLifetime: TimeInterval = 160

    @Test(
        "a running agent renews at 2/3 of its certificate's life, keeps its key and identity, and reconnects with the new certificate"
    )
    func agentRenewsBeforeExpiry() async throws {
        try await TransportFixture.with { db, database, fixture in
            let original = try await fixture.enrolAgent("renewing", lifetime: Self.shortLifetime, db: db)
            #expect(original.renewalSchedule.renewalThreshold < Date() + 10)
            let devices = try await fixture.addDevices(2, db: db)
            let state = fixture.stateDirectory(of: "renewing")
            let spool = try Spool.open(directory: fixture.directory + "/renewing-spool", logger: Self.logger)
            try await TransportFixture.spool(
                (0..<10).map { Date() - Double(100 - $0) }, of: original, devices: devices, into: spool)
            let identity = try UplinkIdentity(stateDirectory: state)
            try await fixture.withCollector(database: database.url) { address in
                let uplink = Uplink(
                    configuration: .init(collectors: [address]), identity: identity, spool: spool, logger: Self.logger,
                    configurationVersion: { nil }, applyConfiguration: { _ in })
                let task = Task { await uplink.run() }
                let deadline = Date() + 30
                while identity.credentials.certificate.serialNumber == original.certificate.serialNumber
                    && Date() < deadline
                {
                    try await Task.sleep(for: .milliseconds(50))
                }
                let rows = try await database.eventually("SELECT count(*) FROM ping_results", equals: 20)
                task.cancel()
                await task.value
                #expect(rows == 20, "batches keep flowing on the session that renewed")
            }
            await spool.close()

            let renewed = try state.loadCredentials()
            #expect(renewed.certificate.serialNumber != original.certificate.serialNumber, "no renewal within 30 s")
            #expect(
                renewed.certificate.serialNumber == identity.credentials.certificate.serialNumber,
                "the renewed certificate is on disk")
            #expect(renewed.agentID == original.agentID)
            #expect(renewed.certificate.publicKey == original.certificate.publicKey)
            #expect(renewed.certificate.notValidAfter > original.certificate.notValidAfter + 29 * 86_400)
            #expect(Date() < original.certificate.notValidAfter, "renewed before the old certificate expired")
            #expect(
                try await db.strings("SELECT cert_serial FROM agents WHERE id = '\(original.agentID)'") == [
                    renewed.certificate.serialNumber.hexString
                ])

            // A peer that is not ours accepts the renewed certificate.
            let verify = try await OpenSSL.checked([
                "verify", "-CAfile", state.caCertificatePath, state.certificatePath,
            ])
            #expect(verify.contains("OK"), "openssl verify: \(verify)")

            try await fixture.withCollector(database: database.url) { address in
                // The renewed certificate opens sessions.
                #expect(await !AgentCollectorTests.isRefused(renewed, at: address))
                // Revoking the agent refuses every certificate it holds, the superseded one too.
                let revoker = try await database.connect()
                try await AgentRegistry(logger: Self.logger).revoke(
                    original.agentID, reason: "test", by: AuditActor(name: "test", source: "test"), on: revoker)
                let denyList = RevocationDenyList()
                try await RevocationWatcher.preload(database: database.url, into: denyList, logger: Self.logger)
                let verifier = AgentCertificateVerifier(caCertificate: fixture.ca.certificate)
                for credentials in [original, renewed] {
                    let verdict = await verifier.verifyClientChain(
                        leaf: credentials.certificate, intermediates: [], revokedSerials: denyList.snapshot,
                        revokedAgents: denyList.revokedAgents)
                    #expect(throws: ClientChainRejection.self) { try verdict.get() }
                    #expect(await AgentCollectorTests.isRefused(credentials, at: address))
                }
                // And the database refuses to record a renewal for it.
                let ledger = AgentRenewalLedger(logger: Self.logger)
                #expect(try await ledger.grant(for: original.agentID, on: revoker) == nil)
                #expect(
                    try await ledger.recordRenewal(
                        of: original.agentID, publicKey: Array(renewed.certificate.publicKey.subjectPublicKeyInfoBytes),
                        serial: "00ff", notAfter: Date() + 86_400, maximumPerHour: 3, on: revoker) == .inactive)
                try await revoker.close()
            }
        }
    }

    @Test("renewal requests for another key or with a malformed CSR are refused without ending the session")
    func refusedRenewals() async throws {
        try await TransportFixture.with { db, database, fixture in
            let agent = try await fixture.enrolAgent("asking", db: db)
            try await fixture.withCollector(database: database.url) { address in
                try await RawAgentConnection.withSession(agent, to: address) { _, inbound, outbound in

                    let stranger = P256Key.generate()
                    try await outbound.write(
                        .renewRequest(RenewRequest(csrDER: try stranger.makeCertificateSigningRequest())))
                    guard case .error(let otherKey)? = try await inbound.next() else {
                        Issue.record("another key was certified")
                        return
                    }
                    #expect(otherKey.code == .renewalRefused)
                    #expect(otherKey.message.contains("another key"))

                    try await outbound.write(.renewRequest(RenewRequest(csrDER: Array("not a CSR".utf8))))
                    guard case .error(let garbage)? = try await inbound.next() else {
                        Issue.record("a malformed CSR was certified")
                        return
                    }
                    #expect(garbage.code == .renewalRefused)

                    // The session goes on.
                    try await outbound.write(.heartbeat(Heartbeat(timestamp: Date())))
                    guard case .heartbeat = try await inbound.next() else {
                        Issue.record("session ended after a refused renewal")
                        return
                    }

                    // The agent's own key is renewed on the same session.
                    try await outbound.write(
                        .renewRequest(RenewRequest(csrDER: try agent.privateKey.makeCertificateSigningRequest())))
                    guard case .renewResponse(let response)? = try await inbound.next() else {
                        Issue.record("own key not renewed")
                        return
                    }
                    let certificate = try Certificate(derEncoded: try #require(response.certificateChainDER.first))
                    #expect(try AgentIdentity.agentID(of: certificate) == agent.agentID)
                    #expect(
                        try await db.strings("SELECT cert_serial FROM agents") == [certificate.serialNumber.hexString])
                }
            }
        }
    }
}
