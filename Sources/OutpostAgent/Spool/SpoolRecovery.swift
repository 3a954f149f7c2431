import Logging
import OutpostCore

/// What opening a spool directory found and repaired.
struct RecoveredSpool {
    /// Segments oldest first; the last one is the active segment.
    var segments: [SegmentSummary]
    /// The active segment, open for writing, positioned after its last valid record.
    var activeFile: SpoolFile
    /// The next sequence to hand out.
    var nextSequence: BatchSequence
    var tornTailBytes: UInt64 = 0
    var corruptionEvents: UInt64 = 0
}

/// Opening a spool directory after a clean shutdown, a crash or a power loss.
///
/// Sealed segments were synced before the next one was started, so only the newest segment can
/// end in a torn record: it is verified record by record (length, CRC-32C, sequence order), cut
/// back to its last valid record and synced before anything in it is handed out. Sealed segments
/// are walked by their record headers only; their checksums are verified when they are replayed.
enum SpoolRecovery {
    static func recover(
        directory: String, configuration: SpoolConfiguration, state: SpoolPersistentState,
        logger: Logger
    ) throws(SpoolError) -> RecoveredSpool {
        let maxBody = configuration.maxRecordBytes + RecordFormat.bodyFixedSize
        let settledThrough = max(state.acknowledgedThrough, state.droppedThrough)
        let bases = try SpoolDirectory.entries(directory).compactMap(SegmentSummary.base(fromFileName:)).sorted()
        var segments: [SegmentSummary] = []
        var corruption: UInt64 = 0
        var directoryChanged = false

        for base in bases.dropLast() {
            let file = try SpoolFile(path: directory + "/" + SegmentSummary.fileName(base: base), create: false)
            let scan = try SegmentScanner.scan(
                file: file, base: base, directory: directory,
                maxBodyBytes: maxBody, verifyChecksums: false)
            if let problem = scan.problem {
                corruption += 1
                logger.error(
                    "spool segment damaged; records after the damage are lost",
                    metadata: [
                        "segment": "\(file.path)", "problem": "\(problem)", "bytes_lost": "\(scan.invalidTailBytes)",
                    ])
            }
            if scan.summary.records == 0 || (scan.summary.lastSequence ?? 0) <= settledThrough {
                try SpoolDirectory.remove(file.path)
                directoryChanged = true
            } else {
                segments.append(scan.summary)
            }
        }

        var tornTail: UInt64 = 0
        let activeFile: SpoolFile
        if let base = bases.last {
            activeFile = try SpoolFile(path: directory + "/" + SegmentSummary.fileName(base: base), create: false)
            let scan = try SegmentScanner.scan(
                file: activeFile, base: base, directory: directory,
                maxBodyBytes: maxBody, verifyChecksums: true)
            var summary = scan.summary
            if let problem = scan.problem {
                tornTail = UInt64(scan.invalidTailBytes)
                logger.warning(
                    "spool segment has a torn tail; truncated to its last valid record",
                    metadata: [
                        "segment": "\(activeFile.path)", "problem": "\(problem)",
                        "bytes_truncated": "\(scan.invalidTailBytes)",
                    ])
                if summary.bytes == 0 {
                    try activeFile.truncate(to: 0)
                    try activeFile.write(RecordFormat.segmentHeader(base: base), at: 0)
                    summary.bytes = Int64(RecordFormat.segmentHeaderSize)
                } else {
                    try activeFile.truncate(to: summary.bytes)
                }
            }
            // After a crash the tail may still be only in the page cache: make it durable first.
            try activeFile.sync()
            segments.append(summary)
        } else {
            let base = max(state.sequenceFloor, 1)
            var summary = SegmentSummary(base: base, directory: directory)
            activeFile = try SpoolFile(path: summary.path, create: true, exclusive: true)
            try activeFile.write(RecordFormat.segmentHeader(base: base), at: 0)
            try activeFile.sync()
            summary.bytes = Int64(RecordFormat.segmentHeaderSize)
            segments.append(summary)
            directoryChanged = true
        }
        if directoryChanged { try SpoolDirectory.sync(directory) }

        let active = segments[segments.count - 1]
        let nextSequence = max(state.sequenceFloor, active.base, (active.lastSequence ?? 0) + 1, 1)
        return RecoveredSpool(
            segments: segments, activeFile: activeFile, nextSequence: nextSequence,
            tornTailBytes: tornTail, corruptionEvents: corruption)
    }
}
