import OutpostCore

/// Turns acknowledgements that may arrive out of order into a cumulative mark: the spool can
/// forget a batch only when every earlier one is acknowledged too.
struct AckTracker {
    private(set) var contiguousThrough: BatchSequence
    private var above: Set<BatchSequence> = []

    init(acknowledgedThrough: BatchSequence) {
        contiguousThrough = acknowledgedThrough
    }

    /// Records `sequence`; returns the new cumulative mark when it advanced.
    mutating func acknowledge(_ sequence: BatchSequence) -> BatchSequence? {
        guard sequence > contiguousThrough else { return nil }
        above.insert(sequence)
        let before = contiguousThrough
        while above.remove(contiguousThrough + 1) != nil { contiguousThrough += 1 }
        return contiguousThrough > before ? contiguousThrough : nil
    }

    /// Everything up to `sequence` is settled (the collector said so in its Welcome).
    mutating func settle(through sequence: BatchSequence) {
        guard sequence > contiguousThrough else { return }
        contiguousThrough = sequence
        above = above.filter { $0 > sequence }
        while above.remove(contiguousThrough + 1) != nil { contiguousThrough += 1 }
    }
}
