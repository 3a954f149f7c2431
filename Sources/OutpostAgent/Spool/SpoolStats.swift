import Foundation
import OutpostCore

/// A snapshot of the spool's state for status pages and metrics.
public struct SpoolStats: Sendable, Equatable {
    /// Bytes of all segment files on disk.
    public var bytes: Int64
    /// Durable records on disk, including acknowledged ones in segments not yet deletable.
    public var records: Int
    /// Creation time of the oldest record on disk, if any.
    public var oldestRecordCreatedAt: Date?
    /// The last sequence handed out by ``Spool/append(payload:resultCount:)`` (0 before the first).
    public var lastSequence: BatchSequence
    /// Every sequence up to this one is durable on disk.
    public var durableThrough: BatchSequence
    /// Every sequence up to this one was acknowledged by the collector.
    public var acknowledgedThrough: BatchSequence
    /// Results dropped since the spool directory was created (caps, disk full, memory buffer overflow).
    public var droppedResults: UInt64
    /// Batches dropped since the spool directory was created.
    public var droppedBatches: UInt64
    /// Times since open that a write found the disk full.
    public var diskFullEvents: UInt64
    /// Records held in memory because the disk is full (not durable until written).
    public var memoryBufferedRecords: Int
    /// Bytes of torn tail truncated at open (partial record after a crash or power loss).
    public var tornTailBytesTruncated: UInt64
    /// Records found damaged (checksum or framing) in sealed segments and skipped.
    public var corruptionEvents: UInt64
}
