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
    /// The highest batch sequence in a segment's name (a lower bound of the newest batch).
    public var newestSegmentBase: BatchSequence?
    /// Every batch up to this one was acknowledged by the collector.
    public var acknowledgedThrough: BatchSequence
    /// Results and batches dropped past the spool's caps since the directory was created.
    public var droppedResults: UInt64
    public var droppedBatches: UInt64

    /// Reads the backlog of the spool in `directory`.
    public static func read(directory: String) throws -> SpoolBacklog {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var backlog = SpoolBacklog(segments: 0, bytes: 0, acknowledgedThrough: 0, droppedResults: 0, droppedBatches: 0)
        for name in names {
            guard let base = SegmentSummary.base(fromFileName: name) else { continue }
            let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/" + name)
            backlog.segments += 1
            backlog.bytes += (attributes[.size] as? NSNumber)?.int64Value ?? 0
            backlog.newestSegmentBase = max(backlog.newestSegmentBase ?? base, base)
        }
        if let state = try SpoolStateFile.peek(directory: directory) {
            backlog.acknowledgedThrough = state.acknowledgedThrough
            backlog.droppedResults = state.droppedResults
            backlog.droppedBatches = state.droppedBatches
        }
        return backlog
    }
}
