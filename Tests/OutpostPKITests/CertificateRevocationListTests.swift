import Foundation
import OutpostPKI
import OutpostTestSupport
import Testing
import X509

/// The CA's CRLs as `openssl crl` and `openssl verify -crl_check` read them.
@Suite struct CertificateRevocationListTests {
    @Test func openSSLRejectsTheRevokedCertificateAndAcceptsTheOther() async throws {
        try await withTemporaryDirectory { directory in
            let fixture = try TestCA()
            let revoked = try fixture.issueAgent()
            let kept = try fixture.issueAgent()
            let now = Date()
            let list = try fixture.ca.issueRevocationList(
                revoking: [.init(serialNumber: revoked.serialNumber, revocationDate: now - 60, reason: .keyCompromise)],
                now: now)
            #expect(list.number == Int(now.timeIntervalSince1970))
            #expect(list.pemEncoded.hasPrefix("-----BEGIN X509 CRL-----\n"))
            try writeText(try fixture.ca.certificatePEM, to: "\(directory)/ca.crt")
            try writeText(try revoked.pemEncoded, to: "\(directory)/revoked.crt")
            try writeText(try kept.pemEncoded, to: "\(directory)/kept.crt")
            try list.save(to: "\(directory)/crl.pem")

            let text = try await OpenSSL.run(["crl", "-in", "\(directory)/crl.pem", "-noout", "-text"])
            #expect(text.status == 0, "\(text.standardError)")
            #expect(text.standardOutput.contains("Version 2 (0x1)"))
            #expect(text.standardOutput.contains("Signature Algorithm: ecdsa-with-SHA256"))
            #expect(text.standardOutput.contains("Issuer: O = Outpost, CN = Outpost CA"))
            #expect(lineAfter("X509v3 CRL Number:", in: text.standardOutput) == String(list.number))
            #expect(text.standardOutput.contains("Serial Number: \(revoked.serialNumber.hexString.uppercased())"))
            #expect(!text.standardOutput.contains(kept.serialNumber.hexString.uppercased()))
            #expect(lineAfter("X509v3 CRL Reason Code:", in: text.standardOutput) == "Key Compromise")
            let caText = try await OpenSSL.text(ofCertificate: "\(directory)/ca.crt")
            let caSKI = try #require(lineAfter("X509v3 Subject Key Identifier:", in: caText))
            #expect(lineAfter("X509v3 Authority Key Identifier:", in: text.standardOutput)?.hasSuffix(caSKI) == true)

            let signature = try await OpenSSL.run([
                "crl", "-in", "\(directory)/crl.pem", "-CAfile", "\(directory)/ca.crt", "-noout",
            ])
            #expect(signature.status == 0)
            #expect((signature.standardOutput + signature.standardError).contains("verify OK"))

            let refused = try await OpenSSL.verify(
                "\(directory)/revoked.crt", caFile: "\(directory)/ca.crt",
                options: ["-crl_check", "-CRLfile", "\(directory)/crl.pem"])
            #expect(refused.status != 0)
            #expect((refused.standardOutput + refused.standardError).contains("certificate revoked"))

            let accepted = try await OpenSSL.verify(
                "\(directory)/kept.crt", caFile: "\(directory)/ca.crt",
                options: ["-crl_check", "-CRLfile", "\(directory)/crl.pem"])
            #expect(accepted.status == 0, "\(accepted.standardOutput)\(accepted.standardError)")
            #expect(accepted.standardOutput.contains("kept.crt: OK"))
        }
    }

    @Test func emptyListVerifiesAndLastsItsValidity() async throws {
        try await withTemporaryDirectory { directory in
            let fixture = try TestCA()
            let issued = try fixture.issueAgent()
            let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
            let list = try fixture.ca.issueRevocationList(revoking: [], validity: 86_400, now: now)
            #expect(list.thisUpdate == now - PKIDefaults.clockSkewAllowance)
            #expect(list.nextUpdate == now + 86_400)
            try writeText(try fixture.ca.certificatePEM, to: "\(directory)/ca.crt")
            try writeText(try issued.pemEncoded, to: "\(directory)/agent.crt")
            try list.save(to: "\(directory)/crl.pem")

            let text = try await OpenSSL.run(["crl", "-in", "\(directory)/crl.pem", "-noout", "-text"])
            #expect(text.status == 0, "\(text.standardError)")
            #expect(text.standardOutput.contains("No Revoked Certificates."))
            let dates = try await OpenSSL.run([
                "crl", "-in", "\(directory)/crl.pem", "-noout", "-lastupdate", "-nextupdate",
            ])
            #expect(
                dates.standardOutput
                    == "lastUpdate=\(openSSLDate(list.thisUpdate))\nnextUpdate=\(openSSLDate(list.nextUpdate))\n")

            let signature = try await OpenSSL.run([
                "crl", "-in", "\(directory)/crl.pem", "-CAfile", "\(directory)/ca.crt", "-noout",
            ])
            #expect((signature.standardOutput + signature.standardError).contains("verify OK"))
            let accepted = try await OpenSSL.verify(
                "\(directory)/agent.crt", caFile: "\(directory)/ca.crt",
                options: ["-crl_check", "-CRLfile", "\(directory)/crl.pem"])
            #expect(accepted.status == 0, "\(accepted.standardOutput)\(accepted.standardError)")
        }
    }

    @Test func staleOrForeignListIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            let fixture = try TestCA()
            let issued = try fixture.issueAgent()
            let stale = try fixture.ca.issueRevocationList(revoking: [], validity: 3_600, now: Date() - 7_200)
            let foreign = try CertificateAuthority.create().issueRevocationList(revoking: [])
            try writeText(try fixture.ca.certificatePEM, to: "\(directory)/ca.crt")
            try writeText(try issued.pemEncoded, to: "\(directory)/agent.crt")
            try stale.save(to: "\(directory)/stale.pem")
            try foreign.save(to: "\(directory)/foreign.pem")

            let expired = try await OpenSSL.verify(
                "\(directory)/agent.crt", caFile: "\(directory)/ca.crt",
                options: ["-crl_check", "-CRLfile", "\(directory)/stale.pem"])
            #expect(expired.status != 0)
            #expect((expired.standardOutput + expired.standardError).contains("CRL has expired"))

            let unsigned = try await OpenSSL.run([
                "crl", "-in", "\(directory)/foreign.pem", "-CAfile", "\(directory)/ca.crt", "-noout",
            ])
            #expect(!(unsigned.standardOutput + unsigned.standardError).contains("verify OK"))
            let missing = try await OpenSSL.verify(
                "\(directory)/agent.crt", caFile: "\(directory)/ca.crt",
                options: ["-crl_check", "-CRLfile", "\(directory)/foreign.pem"])
            #expect(missing.status != 0)
            #expect((missing.standardOutput + missing.standardError).contains("unable to get certificate CRL"))
        }
    }

    @Test func datesFrom2050OnAreGeneralizedTime() async throws {
        try await withTemporaryDirectory { directory in
            let fixture = try TestCA()
            let now = Date(timeIntervalSince1970: 2_556_143_999)  // 2050-12-31 23:59:59 UTC
            let list = try fixture.ca.issueRevocationList(
                revoking: [.init(serialNumber: try fixture.issueAgent().serialNumber, revocationDate: now)], now: now)
            try list.save(to: "\(directory)/crl.pem")
            // GeneralizedTime 20501231235959Z: tag 0x18, length 15.
            let generalized: [UInt8] = [0x18, 0x0F] + Array("20501231235959Z".utf8)
            #expect(list.derEncoded.firstRange(of: generalized) != nil)
            let dates = try await OpenSSL.run([
                "crl", "-in", "\(directory)/crl.pem", "-noout", "-lastupdate", "-nextupdate",
            ])
            #expect(
                dates.standardOutput
                    == "lastUpdate=\(openSSLDate(list.thisUpdate))\nnextUpdate=\(openSSLDate(list.nextUpdate))\n")
        }
    }

    @Test func reasonsAreNamedAsInRFC5280() throws {
        #expect(CertificateRevocationList.Reason(name: "KEYCOMPROMISE") == .keyCompromise)
        #expect(CertificateRevocationList.Reason(name: "cessationOfOperation")?.rawValue == 5)
        #expect(CertificateRevocationList.Reason(name: "privilegeWithdrawn")?.rawValue == 9)
        #expect(CertificateRevocationList.Reason(name: "box stolen") == nil)
        #expect(CertificateRevocationList.Reason(name: "unspecified") == nil)
        let fixture = try TestCA()
        #expect(throws: IssuanceError.invalidLifetime) { try fixture.ca.issueRevocationList(revoking: [], validity: 0) }
    }
}

/// `date` as `openssl` prints ASN.1 times: `Nov  5 09:29:09 2026 GMT`.
private func openSSLDate(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(secondsFromGMT: 0)
    formatter.dateFormat = "MMM d HH:mm:ss yyyy 'GMT'"
    let text = formatter.string(from: date)
    // openssl pads the day of the month to two characters with a space.
    let parts = text.split(separator: " ", maxSplits: 2)
    return "\(parts[0]) \(parts[1].count == 1 ? " " : "")\(parts[1]) \(parts[2])"
}
