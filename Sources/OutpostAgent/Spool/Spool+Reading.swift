import OutpostCore

/// Where a replay left off: the record after `sequence` starts at `offset` in segment `segmentBase`.
struct ReplayPosition: Sendable, Equatable {
    let segmentBase: BatchSequence
    let offset: Int64
    let sequence: BatchSequence
}

/// One answer to a replay iterator: the next record, or the change version to wait on.
struct ReplayStep: Sendable {
    var record: SpoolRecord?
    var position: ReplayPosition?
    var acknowledgedThrough: BatchSequence
    var version: UInt64
    var isClosed: Bool
}

extension Spool {
    /// The next durable record after `cursor` (or after the acknowledged mark when that is later),
    /// unless `inFlight` already holds `limit` unacknowledged sequences.
    func replayStep(
        after cursor: BatchSequence?, position: ReplayPosition?, inFlight: [BatchSequence],
        limit: Int
    ) -> ReplayStep {
        var step = ReplayStep(
            acknowledgedThrough: state.acknowledgedThrough, version: changeVersion, isClosed: isClosed)
        guard !isClosed else { return step }
        let unacknowledged = inFlight.lazy.filter { $0 > self.state.acknowledgedThrough }.count
        guard unacknowledged < limit else { return step }
        let after = max(cursor ?? 0, state.acknowledgedThrough)
        let hint = position?.sequence == after ? position : nil
        if let (record, next) = readRecord(after: after, hint: hint) {
            step.record = record
            step.position = next
        }
        return step
    }

    /// Suspends until a record becomes durable, an acknowledgement arrives, a segment is dropped
    /// or the spool closes — unless that already happened since `version`. Returns when the
    /// calling task is cancelled.
    func waitForChange(since version: UInt64) async {
        guard version == changeVersion, !isClosed else { return }
        let id = nextWaiterID
        nextWaiterID += 1
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume()
                } else {
                    changeWaiters[id] = continuation
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    private func cancelWaiter(_ id: UInt64) {
        changeWaiters.removeValue(forKey: id)?.resume()
    }

    /// Reads the first durable record with a sequence above `after`, checking its checksum.
    /// A damaged record ends its segment: the rest of that segment is skipped, counted and logged.
    private func readRecord(after: BatchSequence, hint: ReplayPosition?) -> (SpoolRecord, ReplayPosition)? {
        guard after < durableThrough else { return nil }
        var index: Int
        var offset: Int64
        var skipping: Bool
        if let hint, let found = segments.firstIndex(where: { $0.base == hint.segmentBase }) {
            (index, offset, skipping) = (found, hint.offset, false)
        } else {
            guard let found = segments.firstIndex(where: { ($0.lastSequence ?? 0) > after }) else { return nil }
            (index, offset, skipping) = (found, Int64(RecordFormat.segmentHeaderSize), true)
        }
        while index < segments.count {
            let segment = segments[index]
            guard offset < segment.bytes else {
                (index, offset, skipping) = (index + 1, Int64(RecordFormat.segmentHeaderSize), false)
                continue
            }
            do {
                let file = try readFile(for: segment)
                let result = try SegmentScanner.readRecord(
                    file: file, at: offset, fileSize: segment.bytes, maxBodyBytes: maxBodyBytes,
                    after: nil, withPayload: !skipping)
                switch result {
                case .record(let fields, let payload, let size):
                    if fields.sequence <= after {
                        offset += Int64(size)
                        continue
                    }
                    guard let payload else {
                        skipping = false
                        continue
                    }
                    let record = SpoolRecord(
                        sequence: fields.sequence, resultCount: fields.resultCount,
                        createdAt: RecordFormat.date(millis: fields.createdAtMillis), payload: payload)
                    return (
                        record,
                        ReplayPosition(
                            segmentBase: segment.base, offset: offset + Int64(size), sequence: fields.sequence)
                    )
                case .invalid(let problem):
                    noteDamagedSegment(at: index, offset: offset, problem: problem)
                    (index, offset, skipping) = (index + 1, Int64(RecordFormat.segmentHeaderSize), false)
                }
            } catch {
                logger.error(
                    "spool could not read a segment", metadata: ["segment": "\(segment.path)", "error": "\(error)"])
                return nil
            }
        }
        return nil
    }

    private func noteDamagedSegment(at index: Int, offset: Int64, problem: String) {
        corruptionEvents += 1
        metrics.corruptionEvents.increment()
        logger.error(
            "spool record damaged; the rest of its segment is skipped",
            metadata: [
                "segment": "\(segments[index].path)", "offset": "\(offset)", "problem": "\(problem)",
            ])
        // Never read past the damage again (the active segment keeps appending after it).
        if index < segments.count - 1 { segments[index].bytes = offset }
    }

    /// A read descriptor for `segment` (the active segment's own descriptor for the active one).
    func readFile(for segment: SegmentSummary) throws(SpoolError) -> SpoolFile {
        if segment.base == segments[segments.count - 1].base { return activeFile }
        if let file = readFiles[segment.base] { return file }
        let file = try SpoolFile(path: segment.path, create: false)
        readFiles[segment.base] = file
        return file
    }
}
