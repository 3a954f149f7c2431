import OutpostCore

/// Batches whose rows and sequence the collector committed: the agent may delete them from
/// its spool. Replays of already committed batches are acknowledged too.
public struct Ack: Sendable, Equatable {
    /// The acknowledged sequences as ascending, non-overlapping ranges (at least one).
    public var ranges: [ClosedRange<BatchSequence>]

    /// Acknowledges the given ranges.
    ///
    /// - Precondition: `ranges` is non-empty, ascending and non-overlapping.
    public init(ranges: [ClosedRange<BatchSequence>]) {
        precondition(Self.isValid(ranges), "ack ranges must be non-empty, ascending and non-overlapping")
        self.ranges = ranges
    }

    /// Acknowledges one batch.
    public init(sequence: BatchSequence) {
        self.ranges = [sequence...sequence]
    }

    /// Whether `sequence` is acknowledged.
    public func contains(_ sequence: BatchSequence) -> Bool {
        ranges.contains { $0.contains(sequence) }
    }

    private static func isValid(_ ranges: [ClosedRange<BatchSequence>]) -> Bool {
        guard !ranges.isEmpty else { return false }
        return zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound < $1.lowerBound }
    }

    init(from reader: inout WireReader) throws(WireError) {
        // Each range is at least 2 bytes (two varints).
        let count = try reader.readCount(field: "ack.ranges", minimumElementSize: 2)
        guard count > 0 else { throw .invalidField(field: "ack.ranges", reason: "an ack needs at least one range") }
        var ranges: [ClosedRange<BatchSequence>] = []
        ranges.reserveCapacity(count)
        for _ in 0..<count {
            let lower = try reader.readVarUInt(field: "ack.ranges.first")
            let extra = try reader.readVarUInt(field: "ack.ranges.extra")
            let (upper, overflow) = lower.addingReportingOverflow(extra)
            guard !overflow else {
                throw .invalidField(field: "ack.ranges.extra", reason: "range end overflows 64 bits")
            }
            if let previous = ranges.last, previous.upperBound >= lower {
                throw .invalidField(field: "ack.ranges.first", reason: "ranges are not ascending and disjoint")
            }
            ranges.append(lower...upper)
        }
        self.ranges = ranges
    }

    func encode(to writer: inout WireWriter) throws(WireError) {
        guard Self.isValid(ranges) else {
            throw .invalidField(field: "ack.ranges", reason: "ranges must be non-empty, ascending and non-overlapping")
        }
        writer.writeVarUInt(UInt64(ranges.count))
        for range in ranges {
            writer.writeVarUInt(range.lowerBound)
            writer.writeVarUInt(range.upperBound - range.lowerBound)
        }
    }
}
