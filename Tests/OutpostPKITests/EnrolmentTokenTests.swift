import Crypto
import Foundation
import OutpostPKI
import Testing

@Suite struct EnrolmentTokenTests {
    private let fingerprint = CertificateFingerprint(bytes: Array(0..<32))!

    @Test func encodeParseRoundTrip() throws {
        let hosts = ["collector.bank.example", "10.20.30.40", "fd00::17"]
        for host in hosts {
            let token = try EnrolmentToken.generate(
                collectorHost: host, collectorPort: 8443, caFingerprint: fingerprint)
            let text = token.encoded
            #expect(text.hasPrefix("OPT1."))
            #expect(!text.contains("\n") && !text.contains(" ") && !text.contains("="))
            let parsed = try EnrolmentToken(parsing: "  \(text)\n")
            #expect(parsed == token)
            #expect(parsed.collectorHost == host)
            #expect(parsed.collectorPort == 8443)
            #expect(parsed.caFingerprint == fingerprint)
            #expect(parsed.secret.count == 32)
        }
        let v6 = try EnrolmentToken.generate(collectorHost: "fd00::17", collectorPort: 443, caFingerprint: fingerprint)
        #expect(v6.collectorAddress == "[fd00::17]:443")
    }

    @Test func secretsAreRandomAndOnlyTheirHashIsStored() throws {
        let first = try EnrolmentToken.generate(collectorHost: "c", collectorPort: 1, caFingerprint: fingerprint)
        let second = try EnrolmentToken.generate(collectorHost: "c", collectorPort: 1, caFingerprint: fingerprint)
        #expect(first.secret != second.secret)
        #expect(first.secretHash == Array(SHA256.hash(data: first.secret)))
        #expect(try EnrolmentToken.secretHash(ofPresentedSecret: first.secret) == first.secretHash)
        #expect(throws: EnrolmentTokenError.wrongLength) {
            try EnrolmentToken.secretHash(ofPresentedSecret: first.secret + [0])
        }
        #expect(first.secretHash != first.secret)
        // The description is safe to log: no secret, no token text.
        let description = "\(first)"
        #expect(!description.contains(first.encoded))
        #expect(!description.contains(first.encoded.dropFirst(5).prefix(20)))
        #expect(description.contains("c:1"))
    }

    @Test func everyAlteredCharacterIsRefused() throws {
        let token = try EnrolmentToken.generate(
            collectorHost: "collector.bank.example", collectorPort: 8443, caFingerprint: fingerprint)
        let text = Array(token.encoded)
        // The last character may carry only padding bits; every other one carries token bytes.
        for index in 5..<(text.count - 1) {
            var altered = text
            altered[index] = altered[index] == "A" ? "B" : "A"
            #expect(throws: EnrolmentTokenError.checksumMismatch) { try EnrolmentToken(parsing: String(altered)) }
        }
    }

    @Test func malformedTokensAreRefusedWithClearErrors() throws {
        let good = try EnrolmentToken.generate(
            collectorHost: "collector", collectorPort: 8443, caFingerprint: fingerprint
        ).encoded
        let cases: [(String, EnrolmentTokenError)] = [
            ("", .notAnEnrolmentToken),
            ("hello", .notAnEnrolmentToken),
            ("OPT2." + good.dropFirst(5), .unsupportedVersion("OPT2")),
            ("OPT1.abc$def", .notBase64URL),
            ("OPT1.abcd=", .notBase64URL),
            ("OPT1." + String(repeating: "A", count: 600), .tooLong),
            (String(good.prefix(40)), .wrongLength),
            (String(good.dropLast(4)), .checksumMismatch),
        ]
        for (text, expected) in cases {
            #expect(throws: expected) { try EnrolmentToken(parsing: text) }
        }
        #expect(EnrolmentTokenError.checksumMismatch.description.contains("copy it again"))
    }

    @Test func invalidPartsAreRefused() {
        for host in ["bad host", "", "300.1.1.1", "collector.", String(repeating: "a", count: 254)] {
            #expect(throws: EnrolmentTokenError.invalidHost) {
                try EnrolmentToken.generate(collectorHost: host, collectorPort: 1, caFingerprint: fingerprint)
            }
        }
        #expect(throws: EnrolmentTokenError.invalidPort) {
            try EnrolmentToken.generate(collectorHost: "collector", collectorPort: 0, caFingerprint: fingerprint)
        }
        #expect(throws: EnrolmentTokenError.wrongLength) {
            try EnrolmentToken(
                collectorHost: "collector", collectorPort: 1, caFingerprint: fingerprint, secret: [1, 2, 3])
        }
    }

    @Test func tokenPinsTheRealCAFingerprint() throws {
        let ca = try CertificateAuthority.create()
        let token = try EnrolmentToken.generate(
            collectorHost: "collector", collectorPort: 8443, caFingerprint: ca.fingerprint)
        #expect(try EnrolmentToken(parsing: token.encoded).caFingerprint == ca.fingerprint)
    }
}
