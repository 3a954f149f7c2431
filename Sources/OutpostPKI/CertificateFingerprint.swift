import Crypto
import SwiftASN1
import X509

/// The SHA-256 digest of a certificate's DER encoding: how operators and enrolment tokens
/// name the CA (`openssl x509 -noout -fingerprint -sha256` prints the same bytes).
public struct CertificateFingerprint: Hashable, Sendable, CustomStringConvertible {
    /// The 32 digest bytes.
    public let bytes: [UInt8]

    /// The fingerprint of `certificate`.
    public init(of certificate: Certificate) throws {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        self.init(derEncodedCertificate: serializer.serializedBytes)
    }

    /// The fingerprint of a DER-encoded certificate.
    public init(derEncodedCertificate der: [UInt8]) {
        self.bytes = Array(SHA256.hash(data: der))
    }

    /// Wraps 32 digest bytes; `nil` for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == SHA256.byteCount else { return nil }
        self.bytes = bytes
    }

    /// Parses 64 hex digits, optionally separated by colons (as `openssl` prints them).
    public init?(hex text: String) {
        let digits = text.filter { $0 != ":" }
        guard let bytes = HexEncoding.decode(digits), bytes.count == SHA256.byteCount else { return nil }
        self.bytes = bytes
    }

    /// 64 lower-case hex digits.
    public var hex: String { HexEncoding.encode(bytes) }

    /// `sha256:` and the first 16 hex digits, for logs and confirmations by eye.
    public var short: String { "sha256:" + String(hex.prefix(16)) }

    public var description: String { "sha256:" + hex }
}
