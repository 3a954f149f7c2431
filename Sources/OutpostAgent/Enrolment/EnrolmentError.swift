import OutpostPKI
import OutpostWire

/// The collector refused an enrolment request; its Error frame, decoded.
public struct EnrolmentRejection: Error, Equatable, Sendable, CustomStringConvertible {
    /// What the code means to the agent (`docs/protocol.md`, "Enrolment").
    public enum Reason: Equatable, Sendable {
        /// No token has this secret (mistyped, or issued by another collector database).
        case tokenUnknown
        /// The token's expiry has passed: ask for a new one.
        case tokenExpired
        /// Another agent already enrolled with this token.
        case tokenAlreadyUsed
        /// An operator revoked the token.
        case tokenRevoked
        /// The certificate request is malformed, has a bad signature or a key other than P-256.
        case csrInvalid
        /// The certificate request exceeds 16 KiB.
        case csrTooLarge
        /// Too many failed attempts came from this address: wait a minute.
        case rateLimited
        /// The request broke the enrolment protocol.
        case protocolViolation
        /// The collector failed internally; retry later.
        case internalError
        /// A code this build does not know.
        case other(UInt16)
    }

    /// The code sent by the collector.
    public let code: UInt16
    /// The collector's explanation.
    public let message: String

    /// The meaning of ``code``.
    public var reason: Reason {
        switch code {
        case 1: .protocolViolation
        case 4: .internalError
        case 32: .tokenUnknown
        case 33: .tokenExpired
        case 34: .tokenAlreadyUsed
        case 35: .tokenRevoked
        case 36: .csrInvalid
        case 37: .csrTooLarge
        case 38: .rateLimited
        default: .other(code)
        }
    }

    init(_ error: ErrorMessage) {
        code = error.code.rawValue
        message = error.message
    }

    public var description: String { "the collector refused the enrolment: \(message) (code \(code))" }
}

/// Enrolment failed on the agent's side or in transit.
public enum AgentEnrolmentError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The state directory already holds an enrolled identity.
    case alreadyEnrolled(String)
    /// The collector's TLS certificate chain does not match the token's CA fingerprint: nothing
    /// was sent.
    case collectorNotTrusted(CAPinningError)
    /// The collector's answer is not a valid enrolment response.
    case invalidResponse(String)
    /// The connection closed before a complete answer arrived.
    case connectionClosed

    public var description: String {
        switch self {
        case .alreadyEnrolled(let path): "\(path) already holds an enrolled agent identity (use --force to replace it)"
        case .collectorNotTrusted(let error): "refusing the collector: \(error)"
        case .invalidResponse(let reason): "invalid enrolment response: \(reason)"
        case .connectionClosed: "the collector closed the connection before answering"
        }
    }
}
