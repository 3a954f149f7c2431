extension Spool {
    /// Batches stored and not yet acknowledged by a collector, including those written but not
    /// yet synced and those held in memory while the disk is full: the delivery backlog the
    /// agent's health summary reports. Counted from the segment summaries, without reading a file.
    public var pendingBatches: UInt64 {
        let acknowledged = state.acknowledgedThrough
        var pending = UInt64(unsynced.count + memoryBuffer.count)
        for segment in segments {
            guard let first = segment.firstSequence, let last = segment.lastSequence, last > acknowledged else {
                continue
            }
            // A partly acknowledged segment: its sequences above the mark, at most its records (a
            // batch lost from the memory buffer leaves a gap).
            pending +=
                first > acknowledged ? UInt64(segment.records) : min(UInt64(segment.records), last - acknowledged)
        }
        return pending
    }
}
