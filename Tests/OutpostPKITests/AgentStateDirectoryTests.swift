import Crypto
import Foundation
import OutpostCore
import OutpostPKI
import OutpostTestSupport
import Testing
import X509

@Suite struct AgentStateDirectoryTests {
    /// A state directory at `root` holding a new key, enrolled (branch "b") under a new CA.
    private func enrolledState(in root: String) throws -> (
        state: AgentStateDirectory, ca: CertificateAuthority, key: P256Key, enrolled: IssuedAgentCertificate
    ) {
        let state = AgentStateDirectory(path: root)
        let ca = try CertificateAuthority.create()
        let key = try state.createKey()
        let enrolled = try ca.issueAgentCertificate(csr: try key.makeCertificateSigningRequest(), branch: "b")
        try state.storeEnrolment(certificate: enrolled.certificate, caCertificate: ca.certificate)
        return (state, ca, key, enrolled)
    }

    @Test func enrolmentStoresKey0600AndCredentialsLoad() async throws {
        try await withTemporaryDirectory { root in
            let state = AgentStateDirectory(path: "\(root)/state")
            let ca = try CertificateAuthority.create()
            #expect(!state.isEnrolled)

            let key = try state.createKey()
            #expect(try permissions(of: state.keyPath) == 0o600)
            #expect(try permissions(of: state.path) == 0o700)
            let keyCheck = try await OpenSSL.run(["pkey", "-in", state.keyPath, "-noout", "-check"])
            #expect(keyCheck.status == 0, "\(keyCheck.standardError)")

            let issued = try ca.issueAgentCertificate(csr: try key.makeCertificateSigningRequest(), branch: "Évora")
            try state.storeEnrolment(certificate: issued.certificate, caCertificate: ca.certificate)
            #expect(state.isEnrolled)
            #expect(try permissions(of: state.keyPath) == 0o600)

            let credentials = try state.loadCredentials()
            #expect(credentials.agentID == issued.agentID)
            #expect(credentials.certificate == issued.certificate)
            #expect(credentials.caCertificate == ca.certificate)
            #expect(credentials.privateKey.publicKey == key.publicKey)
            #expect(!credentials.needsRenewal())

            // openssl agrees the stored files form a valid chain and the key fits the certificate.
            let verify = try await OpenSSL.verify(state.certificatePath, caFile: state.caCertificatePath)
            #expect(verify.status == 0, "\(verify.standardError)")
            let certificateKey = try await OpenSSL.run(["x509", "-in", state.certificatePath, "-noout", "-pubkey"])
            let privateKeyPublic = try await OpenSSL.run(["pkey", "-in", state.keyPath, "-pubout"])
            #expect(certificateKey.standardOutput == privateKeyPublic.standardOutput)

            // The batch-signing key is the certified key.
            let signingKey = try credentials.privateKey.signingKey()
            let signature = try signingKey.signature(for: Data("batch".utf8))
            #expect(
                P256.Signing.PublicKey(credentials.certificate.publicKey)!.isValidSignature(
                    signature, for: Data("batch".utf8)))
        }
    }

    @Test func existingKeyIsNotReplacedUnlessAsked() async throws {
        try await withTemporaryDirectory { root in
            let state = AgentStateDirectory(path: root)
            _ = try state.createKey()
            let before = try contents(of: state.keyPath)
            #expect(throws: PKIFileError(path: state.keyPath, kind: .alreadyExists)) { try state.createKey() }
            #expect(try contents(of: state.keyPath) == before)
            _ = try state.createKey(replacing: true)
            #expect(try contents(of: state.keyPath) != before)
            #expect(try permissions(of: state.keyPath) == 0o600)
        }
    }

    @Test func keyIsWritten0600EvenUnderAPermissiveUmask() async throws {
        try await withTemporaryDirectory { root in
            // umask is process-wide: a parallel test's files may briefly be created wider,
            // which no other test asserts against (the module sets modes explicitly).
            let previous = umask(0)
            defer { umask(previous) }
            let key = P256Key.generate()
            try key.save(to: "\(root)/k.key")
            #expect(try permissions(of: "\(root)/k.key") == 0o600)
            #expect(try P256Key.load(from: "\(root)/k.key").publicKey == key.publicKey)
        }
    }

    @Test func renewedCertificateReplacesTheOldOneAtomically() async throws {
        try await withTemporaryDirectory { root in
            let (state, ca, _, _) = try enrolledState(in: root)

            let credentials = try state.loadCredentials()
            let renewed = try ca.renewAgentCertificate(
                for: credentials.agentID,
                csr: try credentials.privateKey.makeCertificateSigningRequest(),
                branch: "b"
            )
            try state.storeRenewedCertificate(renewed.certificate)
            #expect(try state.loadCredentials().certificate == renewed.certificate)
            // Only the three files: no temporary file left behind.
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: root).sorted() == [
                    "agent.crt", "agent.key", "ca.crt",
                ])
        }
    }

    @Test func mismatchedRenewalsAreRefusedAndNothingChanges() async throws {
        try await withTemporaryDirectory { root in
            let (state, ca, key, enrolled) = try enrolledState(in: root)
            let before = try contents(of: state.certificatePath)

            // Same key, another identity.
            let otherAgent = try ca.issueAgentCertificate(csr: try key.makeCertificateSigningRequest(), branch: "b")
            #expect(throws: AgentCredentialsError.agentIdentityChanged(from: enrolled.agentID, to: otherAgent.agentID))
            {
                try state.storeRenewedCertificate(otherAgent.certificate)
            }
            // Same identity, another key.
            let otherKey = try ca.renewAgentCertificate(
                for: enrolled.agentID,
                csr: try P256Key.generate().makeCertificateSigningRequest(),
                branch: "b"
            )
            #expect(throws: AgentCredentialsError.certificateDoesNotMatchKey) {
                try state.storeRenewedCertificate(otherKey.certificate)
            }
            // Same identity and key, another CA.
            let foreignCA = try CertificateAuthority.create()
            let foreign = try foreignCA.renewAgentCertificate(
                for: enrolled.agentID, csr: try key.makeCertificateSigningRequest(), branch: "b")
            #expect(throws: AgentCredentialsError.notIssuedByCA) {
                try state.storeRenewedCertificate(foreign.certificate)
            }
            #expect(try contents(of: state.certificatePath) == before)
        }
    }

    @Test func enrolmentWithACertificateForAnotherKeyIsRefused() async throws {
        try await withTemporaryDirectory { root in
            let state = AgentStateDirectory(path: root)
            let ca = try CertificateAuthority.create()
            _ = try state.createKey()
            let wrong = try ca.issueAgentCertificate(
                csr: try P256Key.generate().makeCertificateSigningRequest(), branch: "b")
            #expect(throws: AgentCredentialsError.certificateDoesNotMatchKey) {
                try state.storeEnrolment(certificate: wrong.certificate, caCertificate: ca.certificate)
            }
            #expect(!FileManager.default.fileExists(atPath: state.certificatePath))
            #expect(!FileManager.default.fileExists(atPath: state.caCertificatePath))
        }
    }

    @Test func keyGeneratedByOpenSSLIsUsable() async throws {
        try await withTemporaryDirectory { root in
            let path = "\(root)/openssl.key"
            #expect(
                try await OpenSSL.run(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", path]).status == 0
            )
            // openssl honours the umask; key files must be the owner's alone.
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
            let key = try P256Key.load(from: path)  // SEC1 "EC PRIVATE KEY"
            let ca = try CertificateAuthority.create()
            let issued = try ca.issueAgentCertificate(csr: try key.makeCertificateSigningRequest(), branch: "b")
            #expect(issued.certificate.publicKey == key.publicKey)
        }
    }
}
