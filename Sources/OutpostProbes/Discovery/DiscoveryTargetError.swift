/// Why a discovery target specification was refused.
public enum DiscoveryTargetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text is not `address`, `address/length`, or it has host bits set (first 64 characters kept).
    case invalidPrefix(String, reason: String)
    /// An IPv6 prefix shorter than the allowed minimum (a /64 cannot be swept).
    case ipv6PrefixTooShort(String, minimumLength: Int)
    /// No prefix to sweep, or every address is excluded.
    case empty
    /// More hosts than the cap allows after exclusions.
    case tooManyHosts(count: UInt128, maximum: Int)
    /// The cap itself is outside its accepted range.
    case invalidMaximum(Int)

    public var description: String {
        switch self {
        case .invalidPrefix(let text, let reason): "invalid prefix '\(text)': \(reason)"
        case .ipv6PrefixTooShort(let text, let minimum):
            "IPv6 prefix \(text) is too large to sweep; use /\(minimum) or longer"
        case .empty: "the sweep has no address left to probe"
        case .tooManyHosts(let count, let maximum):
            "the sweep covers \(count) hosts, more than the maximum of \(maximum); split the range or raise the limit"
        case .invalidMaximum(let value): "maximum hosts \(value) outside \(DiscoveryTargets.maximumHostsRange)"
        }
    }
}
