/// The addresses one sweep probes: several included prefixes minus excluded prefixes or
/// addresses, validated and counted up front but expanded lazily while iterating (a /16 is
/// a handful of intervals in memory, never 65,534 objects).
///
/// Included prefixes may overlap; every address is produced once, IPv4 before IPv6, each
/// family in ascending order. IPv4 prefixes shorter than /31 leave out their network and
/// broadcast addresses; IPv6 prefixes must be /120 or longer (at most 256 addresses each).
public struct DiscoveryTargets: Sequence, Sendable, Hashable {
    /// Shortest IPv6 prefix accepted.
    public static let minimumIPv6PrefixLength = 120
    /// Default cap on the number of hosts of one sweep.
    public static let defaultMaximumHosts = 65_536
    /// Accepted range of the cap.
    public static let maximumHostsRange = 1...16_777_216

    /// An interval of addresses of one family.
    fileprivate struct Span: Sendable, Hashable {
        var family: IPPrefix.Family
        var interval: AddressInterval
    }

    /// The disjoint ascending intervals to probe.
    private let spans: [Span]
    /// Number of addresses the sequence produces.
    public let count: Int

    /// Parses and checks the specification.
    /// - Parameters:
    ///   - include: prefixes (`10.0.0.0/24`, `fd00::/120`) or single addresses to sweep.
    ///   - exclude: prefixes or single addresses to leave out.
    ///   - maximumHosts: refuse specifications covering more hosts than this (after exclusions).
    /// - Throws: ``DiscoveryTargetError`` naming the offending entry.
    public init(include: [String], exclude: [String] = [], maximumHosts: Int = defaultMaximumHosts)
        throws(DiscoveryTargetError)
    {
        guard Self.maximumHostsRange.contains(maximumHosts) else { throw .invalidMaximum(maximumHosts) }
        let included = try include.map { (text) throws(DiscoveryTargetError) in try IPPrefix(parsing: text) }
        let excluded = try exclude.map { (text) throws(DiscoveryTargetError) in try IPPrefix(parsing: text) }
        for prefix in included where prefix.family == .ipv6 && prefix.length < Self.minimumIPv6PrefixLength {
            throw .ipv6PrefixTooShort(prefix.description, minimumLength: Self.minimumIPv6PrefixLength)
        }
        var spans: [Span] = []
        var total: UInt128 = 0
        for family in [IPPrefix.Family.ipv4, .ipv6] {
            let wanted = AddressInterval.union(included.filter { $0.family == family }.map(\.hostInterval))
            let unwanted = AddressInterval.union(excluded.filter { $0.family == family }.map(\.addressInterval))
            for interval in AddressInterval.subtract(unwanted, from: wanted) {
                total += interval.count
                spans.append(Span(family: family, interval: interval))
            }
        }
        guard total > 0 else { throw .empty }
        guard total <= UInt128(maximumHosts) else { throw .tooManyHosts(count: total, maximum: maximumHosts) }
        self.spans = spans
        count = Int(total)
    }

    /// Produces the address literals one by one.
    public struct Iterator: IteratorProtocol, Sendable {
        fileprivate let spans: [Span]
        fileprivate var index = 0
        fileprivate var following: UInt128?

        public mutating func next() -> String? {
            guard index < spans.count else { return nil }
            let span = spans[index]
            let value = following ?? span.interval.lower
            if value == span.interval.upper {
                index += 1
                following = nil
            } else {
                following = value + 1
            }
            return IPPrefix.text(of: value, family: span.family)
        }
    }

    public func makeIterator() -> Iterator { Iterator(spans: spans) }

    public var underestimatedCount: Int { count }
}
