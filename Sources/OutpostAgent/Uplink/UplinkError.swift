import OutpostCore

/// Why the uplink could not talk to a collector. The collector's text is escaped in the
/// description, which goes to the agent's log.
public enum UplinkError: Error, CustomStringConvertible {
    case protocolViolation(String)
    case refusedByCollector(String)

    public var description: String {
        switch self {
        case .protocolViolation(let detail): "collector broke the protocol: \(LogSafeText.escaped(detail))"
        case .refusedByCollector(let detail): "collector refused the session: \(LogSafeText.escaped(detail))"
        }
    }
}
