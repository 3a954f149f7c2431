import Foundation
import OutpostCore

/// What a spool directory holds, read without opening the spool (so `outpost-agent status`
/// can look while the agent runs): segment files on disk, the acknowledgement mark and drop
/// totals from `spool.state`.
public struct SpoolBacklog: Sendable, Equatable {
    /// Segment files on disk.
    public var segments: Int
    /// Their total size in bytes (acknowledged records included until their segment is deleted).
    public var bytes: Int64
    /// Every batch up to this one was acknowledged by the collector.
    public var acknowledgedThrough: BatchSequence
    /// Every batch up to this one was created, as of the last persisted state (the spool
    /// persists it at least every second while running, and on close).
    public var createdThrough: BatchSequence
    /// Results and batches dropped past the spool's caps since the directory was created.
    public var droppedResults: UInt64
    public var droppedBatches: UInt64

    /// Reads the backlog of the spool in `directory`.
    public static func read(directory: String) throws -> SpoolBacklog {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var backlog = SpoolBacklog(
            segments: 0, bytes: 0, acknowledgedThrough: 0, createdThrough: 0, droppedResults: 0, droppedBatches: 0)
        for name in names {
            guard SegmentSummary.base(fromFileName: name) != nil else { continue }
            let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/" + name)
            backlog.segments += 1
            backlog.bytes += (attributes[.size] as? NSNumber)?.int64Value ?? 0
        }
        if let state = try SpoolStateFile.peek(directory: directory) {
            backlog.acknowledgedThrough = state.acknowledgedThrough
            backlog.createdThrough = max(state.sequenceFloor, 1) - 1
            backlog.droppedResults = state.droppedResults
            backlog.droppedBatches = state.droppedBatches
        }
        return backlog
    }
}
