import Crypto
import Foundation
import OutpostPKI
import OutpostTestSupport
import Testing
import X509

@Suite struct ServerCertificateTests {
    @Test func serverCertificateHasServerAuthAndRequestedNames() async throws {
        try await withTemporaryDirectory { directory in
            let ca = try CertificateAuthority.create()
            let key = P256Key.generate()
            let certificate = try ca.issueServerCertificate(
                publicKey: key.publicKey,
                dnsNames: ["Collector.Bank.example", "collector-2.bank.example"],
                ipAddresses: ["10.1.2.3", "::1"]
            )
            try CertificateFile.save(certificate, to: "\(directory)/server.crt", replace: false)
            try writeText(try ca.certificatePEM, to: "\(directory)/ca.crt")
            let text = try await OpenSSL.text(ofCertificate: "\(directory)/server.crt")

            #expect(text.contains("TLS Web Server Authentication"))
            #expect(!text.contains("TLS Web Client Authentication"))
            #expect(text.contains("Digital Signature"))
            #expect(text.contains("DNS:collector.bank.example"))
            #expect(text.contains("DNS:collector-2.bank.example"))
            #expect(text.contains("IP Address:10.1.2.3"))
            #expect(text.contains("IP Address:0:0:0:0:0:0:0:1"))
            #expect(!text.contains("URI:outpost"))

            let verify = try await OpenSSL.verify(
                "\(directory)/server.crt",
                caFile: "\(directory)/ca.crt",
                options: ["-purpose", "sslserver", "-verify_hostname", "collector.bank.example"]
            )
            #expect(verify.status == 0, "\(verify.standardOutput)\(verify.standardError)")
            let byIP = try await OpenSSL.verify(
                "\(directory)/server.crt",
                caFile: "\(directory)/ca.crt",
                options: ["-purpose", "sslserver", "-verify_ip", "10.1.2.3"]
            )
            #expect(byIP.status == 0, "\(byIP.standardOutput)\(byIP.standardError)")
            let wrongName = try await OpenSSL.verify(
                "\(directory)/server.crt",
                caFile: "\(directory)/ca.crt",
                options: ["-verify_hostname", "evil.example"]
            )
            #expect(wrongName.status != 0)

            // The server certificate is no agent identity.
            #expect(throws: AgentIdentityError.noAgentURI) { try AgentIdentity.agentID(of: certificate) }
            #expect(certificate.notValidAfter.timeIntervalSince(certificate.notValidBefore) == 397 * 86_400 + 300)
        }
    }

    @Test func invalidNamesAreRefused() throws {
        let ca = try CertificateAuthority.create()
        let key = P256Key.generate().publicKey
        #expect(throws: IssuanceError.noSubjectAlternativeNames) {
            try ca.issueServerCertificate(publicKey: key, dnsNames: [])
        }
        for name in [
            "", "10.1.2.3", "300.1.1.1", "*.bank.example", "bad_name.example", "-lead.example", "a..b",
            String(repeating: "a", count: 64) + ".example",
        ] {
            #expect(throws: IssuanceError.invalidDNSName(name)) {
                try ca.issueServerCertificate(publicKey: key, dnsNames: [name])
            }
        }
        for address in ["10.1.2", "300.1.1.1", "::g", "host"] {
            #expect(throws: IssuanceError.invalidIPAddress(address)) {
                try ca.issueServerCertificate(publicKey: key, dnsNames: [], ipAddresses: [address])
            }
        }
    }

    @Test func nonP256ServerKeyIsRefused() throws {
        let ca = try CertificateAuthority.create()
        let key = Certificate.PrivateKey(P384.Signing.PrivateKey()).publicKey
        #expect(throws: IssuanceError.unsupportedKeyType) {
            try ca.issueServerCertificate(publicKey: key, dnsNames: ["collector"])
        }
    }
}
