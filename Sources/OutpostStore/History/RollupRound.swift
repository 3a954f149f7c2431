/// What one round of the roll-up job did.
public struct RollupRound: Sendable, Equatable {
    /// Another collector held the roll-up lock: this round did nothing.
    public var lockedElsewhere = false
    /// Pending (device or item, minute) pairs claimed and recomputed.
    public var claimed = 0
    /// One-minute buckets written (pairs without raw rows write none).
    public var minuteBuckets = 0
    /// One-hour buckets recomputed from their minutes.
    public var hourBuckets = 0
    /// Raw rows (ping rounds and numeric samples) the minute buckets were computed from.
    public var rawRows = 0

    public init() {}
}
