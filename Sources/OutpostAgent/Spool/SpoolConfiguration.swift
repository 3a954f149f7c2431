/// How a ``Spool`` stores, caps and syncs its records.
///
/// ## Default capacity, sized for 7 days of a 1,000-device branch
/// A branch of 1,000 devices pinged every 60 s produces 1,000 × 1,440 = 1.44 M ping results a day;
/// 20 SNMP items per device every 5 min add 1,000 × 20 × 288 = 5.76 M item samples: about
/// 7.2 M results a day (83 per second). A serialized signed batch of 1,000 results is about
/// 40 KB, i.e. ~40 bytes per result plus 28 bytes of spool framing per batch:
/// 7.2 M × 40 B ≈ 288 MB a day, ≈ 2.0 GB for 7 days. ``maxBytes`` defaults to 4 GiB, twice
/// that, to absorb denser polling templates; ``maxAge`` defaults to 7 days. Whichever cap is
/// reached first drops the oldest segment. With 64 MiB segments the byte cap is honoured to
/// within one segment (1.6 %).
public struct SpoolConfiguration: Sendable, Equatable {
    /// When appended records are forced to disk.
    public enum SyncPolicy: Sendable, Equatable {
        /// `append` returns only after the record is on disk (`fdatasync`); appends that arrive
        /// while a sync runs share the next one. Nothing acknowledged is lost on power loss.
        case everyBatch
        /// `append` returns once the record is written to the kernel; the spool syncs at most
        /// this often. A process crash loses nothing; a power loss can lose the last `interval`
        /// of appends. The replay never hands out a record before it is synced, so the
        /// collector never sees a sequence that could be reused after a power loss.
        case groupCommit(interval: Duration)
    }

    /// When appended records are forced to disk. Default ``SyncPolicy/everyBatch``.
    public var syncPolicy: SyncPolicy = .everyBatch
    /// A segment is sealed and a new one started once it would exceed this size. Default 64 MiB.
    public var segmentBytes: Int = 64 << 20
    /// Cap on the bytes of all segments; past it the oldest segment is dropped. Default 4 GiB.
    public var maxBytes: Int64 = 4 << 30
    /// Cap on the age of the newest record of a sealed segment; past it the segment is dropped.
    /// Default 7 days.
    public var maxAge: Duration = .seconds(7 * 86_400)
    /// Largest payload accepted by `append`. Default 16 MiB.
    public var maxRecordBytes: Int = 16 << 20
    /// Records kept in memory while the disk is full, newest kept. Default 64 MiB.
    public var memoryBufferBytes: Int = 64 << 20
    /// How often a full disk is probed again for space. Default 5 s.
    public var diskFullRetryInterval: Duration = .seconds(5)
    /// How often acknowledgements are persisted when no segment was deleted; a crash re-sends
    /// at most this much acknowledged data, which the collector recognises by sequence. Default 1 s.
    public var acknowledgementPersistInterval: Duration = .seconds(1)

    /// The defaults above.
    public init() {}

    func validate() throws {
        guard segmentBytes >= 4096 else {
            throw SpoolError.invalidConfiguration("segmentBytes \(segmentBytes) is below 4096")
        }
        guard maxRecordBytes > 0, maxRecordBytes + RecordFormat.overhead <= segmentBytes else {
            throw SpoolError.invalidConfiguration(
                "maxRecordBytes \(maxRecordBytes) must be positive and fit in a segment")
        }
        guard maxRecordBytes <= Int(Int32.max) - RecordFormat.overhead else {
            throw SpoolError.invalidConfiguration("maxRecordBytes \(maxRecordBytes) exceeds the 2 GiB record limit")
        }
        guard maxBytes >= 2 * Int64(segmentBytes) else {
            throw SpoolError.invalidConfiguration(
                "maxBytes \(maxBytes) must hold at least two segments of \(segmentBytes)")
        }
        guard maxAge > .zero, diskFullRetryInterval >= .zero, acknowledgementPersistInterval >= .zero else {
            throw SpoolError.invalidConfiguration("durations must not be negative and maxAge must be positive")
        }
        guard memoryBufferBytes >= 0 else {
            throw SpoolError.invalidConfiguration("memoryBufferBytes \(memoryBufferBytes) is negative")
        }
        if case .groupCommit(let interval) = syncPolicy, interval <= .zero {
            throw SpoolError.invalidConfiguration("group commit interval must be positive")
        }
    }
}
