import Foundation
import OutpostCore
import OutpostPKI
import OutpostTestSupport
import Testing
import X509

/// The whole life of an agent through the public API, in the order the collector and agent
/// programs call it (network and database replaced by passing values).
@Suite struct EnrolmentFlowTests {
    @Test func enrolRenewRevoke() async throws {
        try await withTemporaryDirectory { root in
            // Collector: `ca init`, server identity, `token create`.
            try CertificateAuthority.create().save(to: "\(root)/ca")
            let ca = try CertificateAuthority.load(from: "\(root)/ca")
            let serverKey = P256Key.generate()
            let serverCertificate = try ca.issueServerCertificate(
                publicKey: serverKey.publicKey, dnsNames: ["collector.bank.example"])
            let token = try EnrolmentToken.generate(
                collectorHost: "collector.bank.example", collectorPort: 8443, caFingerprint: ca.fingerprint)
            let storedHash = token.secretHash  // the database row

            // Agent: `enrol <token>`.
            let parsed = try EnrolmentToken(parsing: token.encoded)
            let state = AgentStateDirectory(path: "\(root)/agent")
            let key = try state.createKey()
            let csr = try key.makeCertificateSigningRequest()
            let pinnedCA = try await CAPinning.verifyServerChain(
                [serverCertificate, ca.certificate], pinnedCA: parsed.caFingerprint
            ).get()

            // Collector: look the secret up by hash, issue for the token's branch.
            #expect(try EnrolmentToken.secretHash(ofPresentedSecret: parsed.secret) == storedHash)
            let issued = try ca.issueAgentCertificate(csr: csr, branch: "Coimbra")

            // Agent: store, then connect with mTLS; the collector's verify callback identifies it.
            try state.storeEnrolment(certificate: issued.certificate, caCertificate: pinnedCA)
            let credentials = try state.loadCredentials()
            #expect(credentials.agentID == issued.agentID)
            let denyList = RevocationDenyList()
            let verifier = AgentCertificateVerifier(caCertificate: ca.certificate)
            let session = try await verifier.verifyClientChain(
                leaf: credentials.certificate,
                intermediates: [],
                revokedSerials: denyList.snapshot
            ).get()
            #expect(session.agentID == issued.agentID)
            #expect(session.publicKey == key.publicKey)

            // Renewal at 2/3 of the lifetime, over the authenticated session.
            let schedule = credentials.renewalSchedule
            #expect(schedule.renewalDate(jitter: 0.5) < schedule.renewalThreshold)
            #expect(!credentials.needsRenewal())
            #expect(credentials.needsRenewal(now: schedule.renewalThreshold))
            let renewed = try ca.renewAgentCertificate(
                for: session.agentID,
                csr: try credentials.privateKey.makeCertificateSigningRequest(),
                branch: "Coimbra"
            )
            try state.storeRenewedCertificate(renewed.certificate)
            let afterRenewal = try state.loadCredentials()
            #expect(afterRenewal.agentID == issued.agentID)
            #expect(afterRenewal.certificate.serialNumber == renewed.serialNumber)

            // `agents revoke`: the current serial joins the deny list; the next handshake fails.
            denyList.insert(renewed.serialNumber)
            let refused = await verifier.verifyClientChain(
                leaf: afterRenewal.certificate,
                intermediates: [],
                revokedSerials: denyList.snapshot
            )
            #expect(throws: ClientChainRejection.self) { try refused.get() }
        }
    }
}
