import Crypto
import Foundation

/// A one-time enrolment token: what an operator copies from `outpost-collector token create`
/// to `outpost-agent enrol`.
///
/// Text form: `OPT1.` followed by unpadded base64url of
/// `caFingerprint (32) | secret (32) | port (2, big-endian) | host (UTF-8, 1...253) | check (4)`,
/// where `check` is the first 4 bytes of SHA-256 of everything before it: it catches
/// truncated or mistyped tokens. It is not a MAC: tokens must travel over a trusted channel.
///
/// The secret authenticates the agent to the collector (which stores only ``secretHash``,
/// with the token's expiry, single use and branch); the CA fingerprint authenticates the
/// collector to the agent (``CAPinning``); the address is a hint where to connect.
public struct EnrolmentToken: Sendable, Equatable, CustomStringConvertible {
    /// The version prefix of the current format.
    public static let prefix = "OPT1."
    /// Length of the secret in bytes.
    public static let secretLength = 32
    /// Longest token text accepted by ``init(parsing:)``.
    public static let maximumEncodedLength = 512

    /// Host name or IP literal of the collector (or its load balancer).
    public let collectorHost: String
    /// The collector's enrolment port.
    public let collectorPort: UInt16
    /// SHA-256 fingerprint of the CA certificate the agent must find at the collector.
    public let caFingerprint: CertificateFingerprint
    /// The 32 secret bytes the agent presents to the collector.
    public let secret: [UInt8]

    /// A token with a fresh random secret.
    public static func generate(
        collectorHost: String,
        collectorPort: UInt16,
        caFingerprint: CertificateFingerprint
    ) throws(EnrolmentTokenError) -> EnrolmentToken {
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<secretLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return try EnrolmentToken(
            collectorHost: collectorHost,
            collectorPort: collectorPort,
            caFingerprint: caFingerprint,
            secret: secret
        )
    }

    /// A token from its parts; checks host, port and secret length.
    public init(
        collectorHost: String,
        collectorPort: UInt16,
        caFingerprint: CertificateFingerprint,
        secret: [UInt8]
    ) throws(EnrolmentTokenError) {
        guard HostName.isValidHost(collectorHost) else { throw .invalidHost }
        guard collectorPort != 0 else { throw .invalidPort }
        guard secret.count == Self.secretLength else { throw .wrongLength }
        self.collectorHost = collectorHost
        self.collectorPort = collectorPort
        self.caFingerprint = caFingerprint
        self.secret = secret
    }

    /// Parses the text form; surrounding whitespace is ignored.
    public init(parsing text: String) throws(EnrolmentTokenError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.utf8.count <= Self.maximumEncodedLength else { throw .tooLong }
        guard trimmed.hasPrefix(Self.prefix) else {
            if let dot = trimmed.firstIndex(of: "."), trimmed[..<dot].hasPrefix("OPT") {
                throw .unsupportedVersion(String(trimmed[..<dot]))
            }
            throw .notAnEnrolmentToken
        }
        guard let payload = Base64URL.decode(trimmed.dropFirst(Self.prefix.count)) else { throw .notBase64URL }
        let fixed = 32 + Self.secretLength + 2
        guard payload.count >= fixed + 1 + 4 else { throw .wrongLength }
        let body = payload.dropLast(4)
        guard Array(SHA256.hash(data: body).prefix(4)) == Array(payload.suffix(4)) else { throw .checksumMismatch }
        guard let fingerprint = CertificateFingerprint(bytes: Array(body.prefix(32))) else { throw .wrongLength }
        let secret = Array(body.dropFirst(32).prefix(Self.secretLength))
        let portBytes = Array(body.dropFirst(32 + Self.secretLength).prefix(2))
        let port = UInt16(portBytes[0]) << 8 | UInt16(portBytes[1])
        guard let host = String(validating: body.dropFirst(fixed), as: UTF8.self) else { throw .invalidHost }
        try self.init(collectorHost: host, collectorPort: port, caFingerprint: fingerprint, secret: secret)
    }

    /// The one-line text form (`OPT1.<base64url>`). Secret: show it once, never log it.
    public var encoded: String {
        var body = caFingerprint.bytes + secret
        body += [UInt8(collectorPort >> 8), UInt8(collectorPort & 0xFF)]
        body += Array(collectorHost.utf8)
        let check = Array(SHA256.hash(data: body).prefix(4))
        return Self.prefix + Base64URL.encode(body + check)
    }

    /// `host:port`, with brackets around an IPv6 literal.
    public var collectorAddress: String {
        collectorHost.contains(":") ? "[\(collectorHost)]:\(collectorPort)" : "\(collectorHost):\(collectorPort)"
    }

    /// SHA-256 of the secret: the only form the collector stores.
    public var secretHash: [UInt8] { Array(SHA256.hash(data: secret)) }

    /// SHA-256 of a secret presented by an enrolling agent, to look up its token record;
    /// refuses a secret that is not ``secretLength`` bytes.
    public static func secretHash(ofPresentedSecret secret: [UInt8]) throws(EnrolmentTokenError) -> [UInt8] {
        guard secret.count == secretLength else { throw .wrongLength }
        return Array(SHA256.hash(data: secret))
    }

    /// Describes the token without its secret.
    public var description: String {
        "EnrolmentToken(collector: \(collectorAddress), ca: \(caFingerprint.short), secret: <private>)"
    }
}

/// Why a text is not a valid enrolment token.
public enum EnrolmentTokenError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Longer than ``EnrolmentToken/maximumEncodedLength``.
    case tooLong
    /// Does not start with `OPT`.
    case notAnEnrolmentToken
    /// An `OPT<n>.` version this build does not understand.
    case unsupportedVersion(String)
    /// The payload is not unpadded base64url.
    case notBase64URL
    /// The payload or secret has the wrong length.
    case wrongLength
    /// The check bytes do not match: the token was truncated, mistyped or altered.
    case checksumMismatch
    /// The host is not a DNS name or IP literal.
    case invalidHost
    /// The port is 0.
    case invalidPort

    public var description: String {
        switch self {
        case .tooLong: "enrolment token is too long"
        case .notAnEnrolmentToken: "not an Outpost enrolment token (expected OPT1.…)"
        case .unsupportedVersion(let version): "unsupported enrolment token version \(version)"
        case .notBase64URL: "enrolment token payload is not base64url"
        case .wrongLength: "enrolment token has the wrong length"
        case .checksumMismatch: "enrolment token is damaged (check bytes do not match): copy it again"
        case .invalidHost: "enrolment token names an invalid collector host"
        case .invalidPort: "enrolment token names an invalid collector port"
        }
    }
}
