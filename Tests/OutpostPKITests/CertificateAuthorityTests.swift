import Foundation
import OutpostPKI
import OutpostTestSupport
import Testing
import X509

@Suite struct CertificateAuthorityTests {
    @Test func savedCAReloadsWithKeyMode0600() async throws {
        try await withTemporaryDirectory { root in
            let directory = "\(root)/ca"
            let ca = try CertificateAuthority.create()
            try ca.save(to: directory)

            #expect(try permissions(of: "\(directory)/ca.key") == 0o600)
            #expect(try permissions(of: "\(directory)/ca.crt") == 0o644)
            #expect(try permissions(of: directory) == 0o700)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
            #expect(leftovers == ["ca.crt", "ca.key"])

            let loaded = try CertificateAuthority.load(from: directory)
            #expect(loaded.certificate == ca.certificate)
            #expect(loaded.fingerprint == ca.fingerprint)

            // The reloaded key signs certificates that openssl chains to the saved ca.crt.
            let agentKey = P256Key.generate()
            let issued = try loaded.issueAgentCertificate(
                csr: try agentKey.makeCertificateSigningRequest(), branch: "b")
            try writeText(try issued.pemEncoded, to: "\(root)/agent.crt")
            let verify = try await OpenSSL.verify("\(root)/agent.crt", caFile: "\(directory)/ca.crt")
            #expect(verify.status == 0, "\(verify.standardOutput)\(verify.standardError)")
        }
    }

    @Test func initRefusesToOverwriteWithoutForce() async throws {
        try await withTemporaryDirectory { directory in
            let first = try CertificateAuthority.create()
            try first.save(to: directory)
            let keyBefore = try contents(of: "\(directory)/ca.key")
            let certificateBefore = try contents(of: "\(directory)/ca.crt")

            let second = try CertificateAuthority.create()
            #expect(throws: PKIFileError(path: "\(directory)/ca.key", kind: .alreadyExists)) {
                try second.save(to: directory)
            }
            #expect(try contents(of: "\(directory)/ca.key") == keyBefore)
            #expect(try contents(of: "\(directory)/ca.crt") == certificateBefore)

            try second.save(to: directory, force: true)
            #expect(try CertificateAuthority.load(from: directory).fingerprint == second.fingerprint)
            #expect(try permissions(of: "\(directory)/ca.key") == 0o600)
        }
    }

    @Test func refusesWhenOnlyTheCertificateExists() async throws {
        try await withTemporaryDirectory { directory in
            try writeText("not a certificate", to: "\(directory)/ca.crt")
            #expect(throws: PKIFileError(path: "\(directory)/ca.crt", kind: .alreadyExists)) {
                try CertificateAuthority.create().save(to: directory)
            }
            #expect(!FileManager.default.fileExists(atPath: "\(directory)/ca.key"))
        }
    }

    @Test func fingerprintMatchesOpenSSL() async throws {
        try await withTemporaryDirectory { directory in
            let ca = try CertificateAuthority.create()
            try ca.save(to: directory)
            let output = try await OpenSSL.run([
                "x509", "-in", "\(directory)/ca.crt", "-noout", "-fingerprint", "-sha256",
            ])
            #expect(output.status == 0)
            // "sha256 Fingerprint=AB:CD:..."
            let printed = try #require(output.standardOutput.split(separator: "=").last).trimmingCharacters(
                in: .whitespacesAndNewlines)
            #expect(CertificateFingerprint(hex: printed) == ca.fingerprint)
            #expect(ca.fingerprint.hex.count == 64)
            #expect(ca.fingerprint.short == "sha256:" + ca.fingerprint.hex.prefix(16))
        }
    }

    @Test func caCertificateHasCAExtensions() async throws {
        try await withTemporaryDirectory { directory in
            let ca = try CertificateAuthority.create(commonName: "Bank Outpost CA")
            try ca.save(to: directory)
            let text = try await OpenSSL.text(ofCertificate: "\(directory)/ca.crt")
            #expect(text.contains("X509v3 Basic Constraints: critical"))
            #expect(text.contains("CA:TRUE, pathlen:0"))
            #expect(text.contains("X509v3 Key Usage: critical"))
            #expect(text.contains("Certificate Sign, CRL Sign"))
            #expect(text.contains("X509v3 Subject Key Identifier"))
            #expect(text.contains("ecdsa-with-SHA256"))
            #expect(text.contains("prime256v1") || text.contains("P-256"))
            #expect(text.contains("CN = Bank Outpost CA"))

            let years = ca.certificate.notValidAfter.timeIntervalSince(ca.certificate.notValidBefore) / (365 * 86_400)
            #expect(years > 9.99 && years < 10.01)
            // Self-signed: openssl verifies it against itself.
            let verify = try await OpenSSL.verify("\(directory)/ca.crt", caFile: "\(directory)/ca.crt")
            #expect(verify.status == 0, "\(verify.standardError)")
        }
    }

    @Test func describeShowsSubjectValidityAndFingerprintOnly() throws {
        let ca = try CertificateAuthority.create(now: Date(timeIntervalSince1970: 1_800_000_000))
        let text = ca.describe()
        #expect(text.contains("CN=Outpost CA"))
        #expect(text.contains("2027-01-15T07:55:00Z"))  // 1_800_000_000 - 5 min clock-skew allowance
        #expect(text.contains(ca.fingerprint.hex))
        #expect(text.contains(ca.fingerprint.short))
        #expect(!text.contains("PRIVATE"))
    }

    @Test func loadReportsMissingAndCorruptFiles() async throws {
        try await withTemporaryDirectory { directory in
            #expect(throws: PKIFileError(path: "\(directory)/ca.key", kind: .notFound)) {
                try CertificateAuthority.load(from: directory)
            }
            try CertificateAuthority.create().save(to: directory)
            try writeText("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", to: "\(directory)/ca.crt")
            #expect(throws: PKIFileError.self) { try CertificateAuthority.load(from: directory) }

            // A certificate and a key that do not belong together.
            try CertificateFile.save(
                try CertificateAuthority.create().certificate, to: "\(directory)/ca.crt", replace: true)
            let error = #expect(throws: PKIFileError.self) { try CertificateAuthority.load(from: directory) }
            #expect(error?.kind == .invalidContent(CertificateAuthorityError.keyDoesNotMatchCertificate.description))
        }
    }

    @Test func oversizedKeyFileIsRefusedBeforeParsing() async throws {
        try await withTemporaryDirectory { directory in
            try writeText(String(repeating: "A", count: PKIDefaults.maximumPEMFileSize + 1), to: "\(directory)/ca.key")
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: "\(directory)/ca.key")
            #expect(
                throws: PKIFileError(
                    path: "\(directory)/ca.key", kind: .tooLarge(limit: PKIDefaults.maximumPEMFileSize))
            ) {
                try CertificateAuthority.load(from: directory)
            }
        }
    }
}
