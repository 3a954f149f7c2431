/// Why an SNMP request produced no values. These are results to record (as
/// `monitoring_items.last_error`), never crashes.
public enum SNMPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No response within timeout × (retries + 1).
    case timeout
    /// The agent rejected the v3 credentials (wrong key, unknown user, unsupported level,
    /// decryption error); the associated text names the USM statistic it reported.
    case authenticationFailure(String)
    /// The agent answered with a non-zero error-status (RFC 3416), e.g. 2 noSuchName (v1), 5 genErr.
    case agentError(status: Int, index: Int)
    /// An OID that is not a dotted sequence of 2...128 unsigned 32-bit numbers.
    case invalidOID(String)
    /// A target or request outside the accepted bounds.
    case invalidTarget(String)
    /// net-snmp could not open a session or send a request.
    case sessionFailed(String)
    /// A walk got an OID that does not follow the previous one (agent bug; stops a loop).
    case nonIncreasingOID(String)
    /// A walk returned more variables than its limit.
    case limitExceeded(Int)
    /// The engine was shut down.
    case shutdown

    public var description: String {
        switch self {
        case .timeout: "timeout"
        case .authenticationFailure(let reason): "authentication failure (\(reason))"
        case .agentError(let status, let index): "agent error \(Self.statusName(status)) at index \(index)"
        case .invalidOID(let oid): "invalid OID \(oid)"
        case .invalidTarget(let reason): "invalid target: \(reason)"
        case .sessionFailed(let reason): "session failed: \(reason)"
        case .nonIncreasingOID(let oid): "walk returned non-increasing OID \(oid)"
        case .limitExceeded(let limit): "walk exceeded \(limit) variables"
        case .shutdown: "engine shut down"
        }
    }

    private static func statusName(_ status: Int) -> String {
        let names = [
            "noError", "tooBig", "noSuchName", "badValue", "readOnly", "genErr", "noAccess", "wrongType",
            "wrongLength", "wrongEncoding", "wrongValue", "noCreation", "inconsistentValue",
            "resourceUnavailable", "commitFailed", "undoFailed", "authorizationError", "notWritable",
            "inconsistentName",
        ]
        return names.indices.contains(status) ? names[status] : "status \(status)"
    }
}
