import OutpostStore
import OutpostWire

/// Why an enrolment request was refused: the Error frame the agent receives (codes in
/// `docs/protocol.md`, "Enrolment"). Messages never contain the token or request bytes.
struct EnrolmentFailure: Error, Equatable, Sendable, CustomStringConvertible {
    let code: ErrorCode
    let message: String

    static let tokenUnknown = EnrolmentFailure(code: ErrorCode(rawValue: 32), message: "unknown enrolment token")
    static let tokenExpired = EnrolmentFailure(code: ErrorCode(rawValue: 33), message: "enrolment token expired")
    static let tokenUsed = EnrolmentFailure(code: ErrorCode(rawValue: 34), message: "enrolment token already used")
    static let tokenRevoked = EnrolmentFailure(code: ErrorCode(rawValue: 35), message: "enrolment token revoked")
    static func csrInvalid(_ reason: String) -> EnrolmentFailure {
        EnrolmentFailure(code: ErrorCode(rawValue: 36), message: "certificate request refused: \(reason)")
    }
    static func csrTooLarge(_ size: Int, limit: Int) -> EnrolmentFailure {
        EnrolmentFailure(
            code: ErrorCode(rawValue: 37), message: "certificate request of \(size) bytes exceeds \(limit) bytes")
    }
    static let rateLimited = EnrolmentFailure(
        code: ErrorCode(rawValue: 38), message: "too many failed enrolment attempts from this address; try again later")
    static func protocolViolation(_ reason: String) -> EnrolmentFailure {
        EnrolmentFailure(code: .protocolViolation, message: reason)
    }
    static let internalError = EnrolmentFailure(code: .internalError, message: "internal error; try again later")

    /// The failure for a token the ledger refused.
    init(_ refusal: EnrolmentLedger.Refusal) {
        switch refusal {
        case .unknown: self = .tokenUnknown
        case .expired: self = .tokenExpired
        case .alreadyUsed: self = .tokenUsed
        case .revoked: self = .tokenRevoked
        }
    }

    private init(code: ErrorCode, message: String) {
        self.code = code
        self.message = message
    }

    /// A short label for logs and metrics.
    var label: String {
        switch code.rawValue {
        case 1: "protocol_violation"
        case 4: "internal_error"
        case 32: "token_unknown"
        case 33: "token_expired"
        case 34: "token_used"
        case 35: "token_revoked"
        case 36: "csr_invalid"
        case 37: "csr_too_large"
        case 38: "rate_limited"
        default: "error_\(code.rawValue)"
        }
    }

    var description: String { message }

    /// The Error frame sent to the agent.
    func frameBytes() throws -> [UInt8] {
        try Message.error(ErrorMessage(code: code, message: message)).frame().encoded()
    }
}
