import Foundation
import OutpostPKI
import OutpostTestSupport
import Testing
import X509

@Suite struct CAPinningTests {
    private func serverCertificate(from ca: CertificateAuthority, now: Date = Date(), lifetime: TimeInterval = 86_400)
        throws -> Certificate
    {
        try ca.issueServerCertificate(
            publicKey: P256Key.generate().publicKey,
            dnsNames: ["collector.bank.example"],
            lifetime: lifetime,
            now: now
        )
    }

    @Test func chainRootedInThePinnedCAIsAccepted() async throws {
        let ca = try CertificateAuthority.create()
        let server = try serverCertificate(from: ca)
        let result = await CAPinning.verifyServerChain([server, ca.certificate], pinnedCA: ca.fingerprint)
        #expect(try result.get() == ca.certificate)
    }

    @Test func forgedCAWithTheSameSubjectIsRefused() async throws {
        let ca = try CertificateAuthority.create(commonName: "Outpost CA")
        let forged = try CertificateAuthority.create(commonName: "Outpost CA")
        #expect(forged.certificate.subject == ca.certificate.subject)
        #expect(forged.fingerprint != ca.fingerprint)
        let forgedServer = try serverCertificate(from: forged)

        // The impostor presents its own CA: nothing matches the pin.
        let ownCA = await CAPinning.verifyServerChain([forgedServer, forged.certificate], pinnedCA: ca.fingerprint)
        #expect(throws: CAPinningError.noCertificateMatchesPin) { try ownCA.get() }

        // The impostor presents the real (public) CA certificate beside its forged server
        // certificate: the pin matches but the signature does not chain.
        let realCA = await CAPinning.verifyServerChain(
            [forgedServer, ca.certificate, forged.certificate],
            pinnedCA: ca.fingerprint
        )
        guard case .failure(.serverCertificateNotIssuedByPinnedCA) = realCA else {
            Issue.record("forged server certificate accepted: \(realCA)")
            return
        }
    }

    @Test func clientCertificateCannotPoseAsCollector() async throws {
        let fixture = try TestCA()
        let agent = try fixture.issueAgent()
        let result = await CAPinning.verifyServerChain(
            [agent.certificate, fixture.ca.certificate], pinnedCA: fixture.ca.fingerprint)
        guard case .failure(.serverCertificateNotIssuedByPinnedCA(let reason)) = result else {
            Issue.record("client certificate accepted as server: \(result)")
            return
        }
        #expect(reason.contains("ExtendedKeyUsage"))
    }

    @Test func expiredServerCertificateIsRefused() async throws {
        let ca = try CertificateAuthority.create(now: Date() - 10 * 86_400)
        let server = try serverCertificate(from: ca, now: Date() - 5 * 86_400, lifetime: 86_400)
        let now = await CAPinning.verifyServerChain([server, ca.certificate], pinnedCA: ca.fingerprint)
        guard case .failure(.serverCertificateNotIssuedByPinnedCA) = now else {
            Issue.record("expired server certificate accepted")
            return
        }
        // At a time inside its validity the same chain passes.
        let then = await CAPinning.verifyServerChain(
            [server, ca.certificate],
            pinnedCA: ca.fingerprint,
            now: Date() - 5 * 86_400 + 3_600
        )
        #expect(throws: Never.self) { try then.get() }
    }

    @Test func degenerateChainsAreRefused() async throws {
        let fixture = try TestCA()
        let empty = await CAPinning.verifyServerChain([], pinnedCA: fixture.ca.fingerprint)
        #expect(throws: CAPinningError.emptyChain) { try empty.get() }

        let server = try serverCertificate(from: fixture.ca)
        let long = await CAPinning.verifyServerChain(
            Array(repeating: server, count: 6), pinnedCA: fixture.ca.fingerprint)
        #expect(throws: CAPinningError.chainTooLong(6)) { try long.get() }

        // Pinning a leaf's fingerprint does not make it a CA.
        let leafPinned = await CAPinning.verifyServerChain([server], pinnedCA: try CertificateFingerprint(of: server))
        #expect(throws: CAPinningError.pinnedCertificateIsNotACA) { try leafPinned.get() }

        // Only the CA certificate, no server certificate: the CA lacks serverAuth.
        let caOnly = await CAPinning.verifyServerChain([fixture.ca.certificate], pinnedCA: fixture.ca.fingerprint)
        guard case .failure(.serverCertificateNotIssuedByPinnedCA) = caOnly else {
            Issue.record("CA certificate accepted as server certificate")
            return
        }
    }
}
