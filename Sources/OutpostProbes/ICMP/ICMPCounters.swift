/// Running totals of one ``ICMPEngine`` since it started.
public struct ICMPCounters: Sendable, Equatable {
    /// Echo requests handed to the kernel.
    public var sent = 0
    /// Echo requests that could not be sent (no route, buffer errors); they count as lost.
    public var sendFailures = 0
    /// First replies from the probed address within the timeout.
    public var received = 0
    /// Further replies to a request that was already answered.
    public var duplicates = 0
    /// Replies that arrived after their request's timeout.
    public var late = 0
    /// Replies carrying one of our identifiers and sequence numbers but from another address.
    public var wrongSource = 0
    /// ICMP errors (destination unreachable, time exceeded) about one of our requests.
    public var unreachable = 0

    /// All zero.
    public init() {}
}
