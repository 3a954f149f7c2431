import Foundation
import OutpostCore
import OutpostPKI
import OutpostTestSupport
import Testing
import X509

@Suite struct ClientChainVerifierTests {
    @Test func validAgentChainYieldsItsIdentity() async throws {
        let fixture = try TestCA()
        let issued = try fixture.issueAgent(branch: "Braga")
        let verifier = AgentCertificateVerifier(caCertificate: fixture.ca.certificate)
        let agent = try await verifier.verifyClientChain(
            leaf: issued.certificate, intermediates: [], revokedSerials: []
        ).get()
        #expect(agent.agentID == issued.agentID)
        #expect(agent.branch == "Braga")
        #expect(agent.serialNumber == issued.serialNumber)
        #expect(agent.notValidAfter == issued.notValidAfter)
        #expect(agent.publicKey == fixture.agentKey.publicKey)
        #expect(agent.chain == [issued.certificate, fixture.ca.certificate])
    }

    @Test func revokedSerialIsRejected() async throws {
        let fixture = try TestCA()
        let revoked = try fixture.issueAgent()
        let other = try fixture.issueAgent()
        let denyList = RevocationDenyList()
        let verifier = AgentCertificateVerifier(caCertificate: fixture.ca.certificate)

        let before = await verifier.verifyClientChain(
            leaf: revoked.certificate, intermediates: [], revokedSerials: denyList.snapshot)
        #expect(throws: Never.self) { try before.get() }

        let snapshotBeforeRevocation = denyList.snapshot
        denyList.insert(revoked.serialNumber)
        let after = await verifier.verifyClientChain(
            leaf: revoked.certificate, intermediates: [], revokedSerials: denyList.snapshot)
        guard case .failure(let rejection) = after else {
            Issue.record("revoked certificate accepted")
            return
        }
        #expect(rejection.description.contains("revoked"))
        #expect(rejection.description.contains(revoked.serialNumber.hexString))
        #expect(snapshotBeforeRevocation.isEmpty)

        // Other agents are unaffected.
        let unaffected = await verifier.verifyClientChain(
            leaf: other.certificate, intermediates: [], revokedSerials: denyList.snapshot)
        #expect(throws: Never.self) { try unaffected.get() }

        // Swapping the whole set (reload from the database) un-revokes and revokes.
        denyList.replace(serials: [other.serialNumber], agents: [])
        let swappedRevoked = await verifier.verifyClientChain(
            leaf: revoked.certificate, intermediates: [], revokedSerials: denyList.snapshot)
        let swappedOther = await verifier.verifyClientChain(
            leaf: other.certificate, intermediates: [], revokedSerials: denyList.snapshot)
        #expect(throws: Never.self) { try swappedRevoked.get() }
        #expect(throws: ClientChainRejection.self) { try swappedOther.get() }
    }

    @Test func revokedSerialsPolicyWorksInAnyVerifier() async throws {
        let fixture = try TestCA()
        let issued = try fixture.issueAgent()
        var verifier = Verifier(rootCertificates: CertificateStore([fixture.ca.certificate])) {
            RFC5280Policy()
            RevokedSerialsPolicy(revokedSerials: [issued.serialNumber])
        }
        let result = await verifier.validate(leaf: issued.certificate, intermediates: CertificateStore())
        guard case .couldNotValidate(let failures) = result else {
            Issue.record("revoked certificate validated")
            return
        }
        #expect(failures.contains { $0.policyFailureReason.description.contains("revoked") })
    }

    @Test func foreignCAIsRejected() async throws {
        let ours = try TestCA()
        let theirs = try TestCA(commonName: "Outpost CA")
        let foreign = try theirs.issueAgent()
        let verifier = AgentCertificateVerifier(caCertificate: ours.ca.certificate)
        let result = await verifier.verifyClientChain(
            leaf: foreign.certificate, intermediates: [theirs.ca.certificate], revokedSerials: [])
        #expect(throws: ClientChainRejection.self) { try result.get() }
    }

    @Test func serverCertificateIsNotAClientCertificate() async throws {
        let fixture = try TestCA()
        let server = try fixture.ca.issueServerCertificate(
            publicKey: P256Key.generate().publicKey, dnsNames: ["collector"])
        let verifier = AgentCertificateVerifier(caCertificate: fixture.ca.certificate)
        let result = await verifier.verifyClientChain(leaf: server, intermediates: [], revokedSerials: [])
        guard case .failure(let rejection) = result else {
            Issue.record("server certificate accepted as client")
            return
        }
        #expect(rejection.description.contains("ExtendedKeyUsage"))
    }

    @Test func validityIsCheckedAtTheGivenTime() async throws {
        let fixture = try TestCA()
        let now = Date()
        let issued = try fixture.issueAgent(lifetime: 86_400, now: now)
        let verifier = AgentCertificateVerifier(caCertificate: fixture.ca.certificate)
        for (time, valid) in [(now, true), (now + 86_400 + 1, false), (now - 3_600, false)] {
            let result = await verifier.verifyClientChain(
                leaf: issued.certificate, intermediates: [], revokedSerials: [], now: time)
            if valid {
                #expect(throws: Never.self) { try result.get() }
            } else {
                #expect(throws: ClientChainRejection.self) { try result.get() }
            }
        }
    }

    @Test func tooManyIntermediatesAreRejectedUnexamined() async throws {
        let fixture = try TestCA()
        let issued = try fixture.issueAgent()
        let verifier = AgentCertificateVerifier(caCertificate: fixture.ca.certificate)
        let result = await verifier.verifyClientChain(
            leaf: issued.certificate,
            intermediates: Array(repeating: fixture.ca.certificate, count: 5),
            revokedSerials: []
        )
        #expect(throws: ClientChainRejection.self) { try result.get() }
    }
}
