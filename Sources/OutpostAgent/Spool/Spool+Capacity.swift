import OutpostCore

extension Spool {
    /// Deletes fully acknowledged segments, then drops the oldest segments past the age cap and
    /// the byte cap. The active segment is never dropped, so the cap is honoured to within one segment.
    func enforceCaps() {
        _ = deleteAcknowledgedSegments()
        let cutoff = RecordFormat.millis(now()) - Int64(configuration.maxAge.components.seconds) * 1000
        while segments.count > 1, let newest = segments[0].newestCreatedAtMillis, newest < cutoff {
            _ = dropOldestSealedSegment(reason: "older than the age cap")
        }
        while segments.count > 1, totalBytes > configuration.maxBytes {
            _ = dropOldestSealedSegment(reason: "over the byte cap")
        }
    }

    /// Deletes the sealed segments whose batches are all acknowledged, after persisting the
    /// acknowledgement that covers them; true when any was deleted.
    func deleteAcknowledgedSegments() -> Bool {
        guard segments.count > 1, (segments[0].lastSequence ?? 0) <= state.acknowledgedThrough else { return false }
        persistState()
        guard !stateDirty else { return false }
        while segments.count > 1, (segments[0].lastSequence ?? 0) <= state.acknowledgedThrough {
            removeFile(of: segments.removeFirst())
        }
        syncDirectory()
        return true
    }

    /// Drops the oldest sealed segment with whatever it holds unacknowledged, counting the loss
    /// durably before the file goes; false when only the active segment is left.
    func dropOldestSealedSegment(reason: String) -> Bool {
        guard segments.count > 1 else { return false }
        let segment = segments.removeFirst()
        let lost = unacknowledgedCounts(of: segment)
        recordDrops(results: lost.results, batches: lost.batches, through: segment.lastSequence)
        removeFile(of: segment)
        syncDirectory()
        logger.warning(
            "spool dropped its oldest segment",
            metadata: [
                "reason": "\(reason)", "segment": "\(segment.path)",
                "dropped_batches": "\(lost.batches)", "dropped_results": "\(lost.results)",
            ])
        notifyChange()
        return true
    }

    /// Adds to the dropped totals (persisted, metered). `through` marks the last sequence of a
    /// dropped segment so that a crash before its file is deleted does not count it twice.
    func recordDrops(results: UInt64, batches: UInt64, through sequence: BatchSequence?) {
        state.droppedResults += results
        state.droppedBatches += batches
        if let sequence { state.droppedThrough = max(state.droppedThrough, sequence) }
        metrics.droppedResults.increment(by: Int64(results))
        metrics.droppedBatches.increment(by: Int64(batches))
        persistState()
    }

    /// Batches and results in `segment` above the acknowledged mark.
    private func unacknowledgedCounts(of segment: SegmentSummary) -> (batches: UInt64, results: UInt64) {
        let acknowledged = state.acknowledgedThrough
        guard let last = segment.lastSequence, last > acknowledged else { return (0, 0) }
        if let first = segment.firstSequence, first > acknowledged {
            return (UInt64(segment.records), segment.results)
        }
        // Partly acknowledged: walk the record headers to count the rest exactly.
        var batches: UInt64 = 0
        var results: UInt64 = 0
        do {
            let file = try readFile(for: segment)
            var offset = Int64(RecordFormat.segmentHeaderSize)
            while offset < segment.bytes {
                guard
                    case .record(let fields, _, let size) = try SegmentScanner.readRecord(
                        file: file, at: offset, fileSize: segment.bytes, maxBodyBytes: maxBodyBytes,
                        after: nil, withPayload: false)
                else { break }
                if fields.sequence > acknowledged {
                    batches += 1
                    results += UInt64(fields.resultCount)
                }
                offset += Int64(size)
            }
        } catch {
            logger.error(
                "spool could not count a dropped segment",
                metadata: ["segment": "\(segment.path)", "error": "\(error)"])
        }
        return (batches, results)
    }

    private func removeFile(of segment: SegmentSummary) {
        readFiles[segment.base] = nil
        do {
            try SpoolDirectory.remove(segment.path)
        } catch {
            logger.error(
                "spool could not delete a segment", metadata: ["segment": "\(segment.path)", "error": "\(error)"])
        }
    }

    private func syncDirectory() {
        do {
            try SpoolDirectory.sync(directory)
        } catch {
            logger.error("spool could not sync its directory", metadata: ["error": "\(error)"])
        }
    }

    var maxBodyBytes: Int { configuration.maxRecordBytes + RecordFormat.bodyFixedSize }
}
