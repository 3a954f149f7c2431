/// Why the uplink could not talk to a collector.
public enum UplinkError: Error, CustomStringConvertible {
    case protocolViolation(String)
    case refusedByCollector(String)

    public var description: String {
        switch self {
        case .protocolViolation(let detail): "collector broke the protocol: \(detail)"
        case .refusedByCollector(let detail): "collector refused the session: \(detail)"
        }
    }
}
