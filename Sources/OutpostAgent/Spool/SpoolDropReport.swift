/// Data the spool dropped (capacity caps, disk full) that the collector has not been told about yet.
///
/// The uplink puts it in the next `Hello` and, once the collector accepted that `Hello`,
/// passes it back to ``Spool/markDropsReported(_:)``; a report lost with a failed connection
/// is therefore sent again. Totals are persisted, so restarts lose nothing either.
public struct SpoolDropReport: Sendable, Equatable {
    /// Results (rows) dropped and not yet reported.
    public var droppedResults: UInt64
    /// Batches dropped and not yet reported.
    public var droppedBatches: UInt64

    /// Creates a report.
    public init(droppedResults: UInt64, droppedBatches: UInt64) {
        self.droppedResults = droppedResults
        self.droppedBatches = droppedBatches
    }

    /// True when nothing was dropped.
    public var isEmpty: Bool { droppedResults == 0 && droppedBatches == 0 }
}
