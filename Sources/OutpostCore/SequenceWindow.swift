/// Which of an agent's batch sequences are committed: every one up to ``highWater``, and those
/// in ``committedAbove`` (committed out of order above it). A sequence is new when it is in
/// neither, so a batch that arrives after a later one is still written, and any replay is
/// recognised.
///
/// Sequences above ``BatchSequence/largestAccepted`` are never recorded (the collector refuses
/// them at the session), so `highWater + 1` and the `bigint` columns that store the window
/// cannot overflow, whatever an agent sends.
public struct SequenceWindow: Sendable, Equatable {
    /// Every sequence up to this one is committed (or settled).
    public private(set) var highWater: BatchSequence
    /// Sequences committed above ``highWater``, never contiguous with it.
    public private(set) var committedAbove: Set<BatchSequence>

    public init(highWater: BatchSequence, committedAbove: Set<BatchSequence>) {
        let highWater = min(highWater, .largestAccepted)
        self.highWater = highWater
        self.committedAbove = committedAbove.filter { $0 > highWater && $0 <= .largestAccepted }
        absorbContiguous()
    }

    /// Records `sequence` as committed; `false` when it already was (a duplicate) or is above
    /// ``BatchSequence/largestAccepted``.
    public mutating func record(_ sequence: BatchSequence) -> Bool {
        guard sequence <= .largestAccepted, sequence > highWater, !committedAbove.contains(sequence) else {
            return false
        }
        committedAbove.insert(sequence)
        absorbContiguous()
        return true
    }

    /// Marks every sequence up to `sequence` as settled (the agent no longer holds them).
    public mutating func settle(through sequence: BatchSequence) {
        guard sequence <= .largestAccepted, sequence > highWater else { return }
        highWater = sequence
        committedAbove = committedAbove.filter { $0 > sequence }
        absorbContiguous()
    }

    /// Moves ``highWater`` over the sequences committed right above it.
    private mutating func absorbContiguous() {
        while highWater < .largestAccepted, committedAbove.remove(highWater + 1) != nil { highWater += 1 }
    }
}
