import Foundation
import OutpostCore
import OutpostPKI
import OutpostTestSupport
import Testing
import X509

@Suite struct AgentIssuanceTests {
    @Test func openSSLAcceptsAgentCertificateOnlyUnderItsCA() async throws {
        try await withTemporaryDirectory { directory in
            let fixture = try TestCA()
            let foreign = try CertificateAuthority.create()
            let issued = try fixture.issueAgent()
            try writeText(try issued.pemEncoded, to: "\(directory)/agent.crt")
            try writeText(try fixture.ca.certificatePEM, to: "\(directory)/ca.crt")
            try writeText(try foreign.certificatePEM, to: "\(directory)/foreign.crt")

            let accepted = try await OpenSSL.verify(
                "\(directory)/agent.crt",
                caFile: "\(directory)/ca.crt",
                options: ["-purpose", "sslclient", "-x509_strict"]
            )
            #expect(accepted.status == 0, "\(accepted.standardOutput)\(accepted.standardError)")
            #expect(accepted.standardOutput.contains("agent.crt: OK"))

            let rejected = try await OpenSSL.verify("\(directory)/agent.crt", caFile: "\(directory)/foreign.crt")
            #expect(rejected.status != 0)
            #expect(
                (rejected.standardOutput + rejected.standardError).contains("unable to get local issuer certificate"))

            // A client certificate is not a server certificate.
            let asServer = try await OpenSSL.verify(
                "\(directory)/agent.crt",
                caFile: "\(directory)/ca.crt",
                options: ["-purpose", "sslserver"]
            )
            #expect(asServer.status != 0)
        }
    }

    @Test func agentCertificateExtensionsAsOpenSSLPrintsThem() async throws {
        try await withTemporaryDirectory { directory in
            let fixture = try TestCA()
            let issued = try fixture.issueAgent(branch: "Lisboa-Baixa")
            try writeText(try issued.pemEncoded, to: "\(directory)/agent.crt")
            let text = try await OpenSSL.text(ofCertificate: "\(directory)/agent.crt")

            #expect(text.contains("X509v3 Key Usage: critical\n                Digital Signature\n"))
            #expect(text.contains("X509v3 Extended Key Usage: \n                TLS Web Client Authentication\n"))
            #expect(text.contains("URI:outpost://agent/\(issued.agentID)"))
            #expect(text.contains("X509v3 Basic Constraints: critical\n                CA:FALSE"))
            #expect(text.contains("X509v3 Subject Key Identifier"))
            #expect(text.contains("X509v3 Authority Key Identifier"))
            #expect(text.contains("O = Outpost, OU = Lisboa-Baixa, CN = \(issued.agentID)"))
            #expect(!text.contains("Certificate Sign"))

            // The AKI is the CA's SKI.
            let caText = try await OpenSSL.text(
                ofCertificate: try {
                    try writeText(try fixture.ca.certificatePEM, to: "\(directory)/ca.crt")
                    return "\(directory)/ca.crt"
                }())
            let caSKI = try #require(lineAfter("X509v3 Subject Key Identifier:", in: caText))
            #expect(lineAfter("X509v3 Authority Key Identifier:", in: text)?.hasSuffix(caSKI) == true)
        }
    }

    @Test func serialIsRandomPositive20BytesAndMatchesOpenSSL() async throws {
        try await withTemporaryDirectory { directory in
            let fixture = try TestCA()
            var serials: Set<Certificate.SerialNumber> = []
            for _ in 0..<20 {
                let issued = try fixture.issueAgent()
                #expect(issued.serialNumber.bytes.count == 20)
                #expect(issued.serialNumber.bytes.first! < 0x80)
                serials.insert(issued.serialNumber)
            }
            #expect(serials.count == 20)

            let issued = try fixture.issueAgent()
            try writeText(try issued.pemEncoded, to: "\(directory)/agent.crt")
            let output = try await OpenSSL.run(["x509", "-in", "\(directory)/agent.crt", "-noout", "-serial"])
            #expect(
                output.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == "serial="
                    + issued.serialNumber.hexString.uppercased())
            #expect(
                Certificate.SerialNumber(hexString: issued.serialNumber.hexString.uppercased()) == issued.serialNumber)
        }
    }

    @Test func lifetimeDefaultsTo30DaysWithClockSkewAllowance() throws {
        let fixture = try TestCA()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let issued = try fixture.ca.issueAgentCertificate(
            csr: try fixture.agentKey.makeCertificateSigningRequest(), branch: "b", now: now)
        #expect(issued.notValidAfter == now + 30 * 86_400)
        #expect(issued.certificate.notValidBefore == now - 300)
        let shortLived = try fixture.issueAgent(lifetime: 3_600, now: now)
        #expect(shortLived.notValidAfter == now + 3_600)
        #expect(throws: IssuanceError.invalidLifetime) { try fixture.issueAgent(lifetime: 0) }
    }

    @Test func expiredCertificateIsRejectedByOpenSSLAndByOurVerifier() async throws {
        try await withTemporaryDirectory { directory in
            let fixture = try TestCA()
            let issued = try fixture.issueAgent(lifetime: 30 * 86_400, now: Date() - 60 * 86_400)
            #expect(issued.notValidAfter < Date())
            try writeText(try issued.pemEncoded, to: "\(directory)/agent.crt")
            try writeText(try fixture.ca.certificatePEM, to: "\(directory)/ca.crt")

            let output = try await OpenSSL.verify("\(directory)/agent.crt", caFile: "\(directory)/ca.crt")
            #expect(output.status != 0)
            #expect((output.standardOutput + output.standardError).contains("certificate has expired"))

            let verifier = AgentCertificateVerifier(caCertificate: fixture.ca.certificate)
            let result = await verifier.verifyClientChain(
                leaf: issued.certificate, intermediates: [], revokedSerials: [])
            guard case .failure(let rejection) = result else {
                Issue.record("expired certificate accepted")
                return
            }
            #expect(rejection.description.contains("expired") || rejection.description.contains("not valid"))
        }
    }

    @Test func csrWithCorruptedSignatureIsRefused() throws {
        let fixture = try TestCA()
        var csr = try fixture.agentKey.makeCertificateSigningRequest()
        // The DER ends with the ECDSA signature's s integer: change its last byte.
        csr[csr.count - 1] ^= 0x01
        #expect(throws: IssuanceError.csrSignatureInvalid) {
            try fixture.ca.issueAgentCertificate(csr: csr, branch: "b")
        }
    }

    @Test func oversizedCSRIsRefusedBeforeParsing() throws {
        let fixture = try TestCA()
        let limit = PKIDefaults.maximumCSRSize
        #expect(limit == 16 * 1024)
        // A valid request padded past the limit: refused on size alone.
        let csr = try fixture.agentKey.makeCertificateSigningRequest() + [UInt8](repeating: 0, count: limit)
        #expect(throws: IssuanceError.csrTooLarge(size: csr.count, limit: limit)) {
            try fixture.ca.issueAgentCertificate(csr: csr, branch: "b")
        }
        #expect(throws: IssuanceError.csrTooLarge(size: limit + 1, limit: limit)) {
            try fixture.ca.issueAgentCertificate(csr: [UInt8](repeating: 0x30, count: limit + 1), branch: "b")
        }
    }

    @Test func malformedCSRIsRefused() throws {
        let fixture = try TestCA()
        let error = #expect(throws: IssuanceError.self) {
            try fixture.ca.issueAgentCertificate(csr: Array("hello".utf8), branch: "b")
        }
        guard case .csrMalformed = error else {
            Issue.record("expected csrMalformed, got \(String(describing: error))")
            return
        }
    }

    @Test func openSSLGeneratedCSRIsAcceptedAndNonP256Refused() async throws {
        try await withTemporaryDirectory { directory in
            let fixture = try TestCA()
            for (curve, accepted) in [("prime256v1", true), ("secp384r1", false)] {
                let key = "\(directory)/\(curve).key"
                let csr = "\(directory)/\(curve).csr"
                #expect(
                    try await OpenSSL.run(["ecparam", "-name", curve, "-genkey", "-noout", "-out", key]).status == 0)
                let request = try await OpenSSL.run(["req", "-new", "-key", key, "-subj", "/CN=ignored", "-out", csr])
                #expect(request.status == 0, "\(request.standardError)")
                let pem = Array(try contents(of: csr))
                if accepted {
                    let issued = try fixture.ca.issueAgentCertificate(csr: pem, branch: "b")
                    // The CA ignores the requested subject.
                    #expect(AgentIdentity.branch(of: issued.certificate) == "b")
                    #expect(!"\(issued.certificate.subject)".contains("ignored"))
                } else {
                    #expect(throws: IssuanceError.unsupportedKeyType) {
                        try fixture.ca.issueAgentCertificate(csr: pem, branch: "b")
                    }
                }
            }
        }
    }

    @Test func ourCSRPassesOpenSSLSignatureCheck() async throws {
        try await withTemporaryDirectory { directory in
            let key = P256Key.generate()
            let der = try key.makeCertificateSigningRequest()
            try Data(der).write(to: URL(fileURLWithPath: "\(directory)/agent.csr"))
            let output = try await OpenSSL.run([
                "req", "-in", "\(directory)/agent.csr", "-inform", "DER", "-noout", "-verify",
            ])
            #expect(output.status == 0, "\(output.standardError)")
            #expect((output.standardOutput + output.standardError).contains("verify OK"))
        }
    }

    @Test func renewalKeepsTheAgentIdentity() throws {
        let fixture = try TestCA()
        let enrolled = try fixture.issueAgent(branch: "Porto")
        let renewed = try fixture.ca.renewAgentCertificate(
            for: enrolled.agentID,
            csr: try fixture.agentKey.makeCertificateSigningRequest(),
            branch: "Porto"
        )
        #expect(renewed.agentID == enrolled.agentID)
        #expect(try AgentIdentity.agentID(of: renewed.certificate) == enrolled.agentID)
        #expect(renewed.serialNumber != enrolled.serialNumber)
        #expect(renewed.publicKeyDER == enrolled.publicKeyDER)
        // A new enrolment gets a new identity.
        #expect(try fixture.issueAgent().agentID != enrolled.agentID)
    }

    @Test(arguments: ["", String(repeating: "x", count: 65), "tab\there", "new\nline"])
    func invalidBranchNamesAreRefused(branch: String) throws {
        let fixture = try TestCA()
        #expect(throws: IssuanceError.invalidBranchName) { try fixture.issueAgent(branch: branch) }
    }

    @Test func unicodeBranchNameSurvivesInSubject() throws {
        let fixture = try TestCA()
        let issued = try fixture.issueAgent(branch: "São João da Madeira")
        #expect(AgentIdentity.branch(of: issued.certificate) == "São João da Madeira")
    }
}
