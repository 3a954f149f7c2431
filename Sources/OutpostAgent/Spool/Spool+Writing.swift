import OutpostCore

extension Spool {
    /// Puts a record on disk, or in the memory buffer when the disk is full and nothing older
    /// can be dropped to make room. Keeps sequence order: once anything waits in memory, newer
    /// records wait behind it.
    func store(_ record: PendingRecord) {
        if diskFull { retryDiskWrites(force: false) }
        while true {
            if diskFull || !memoryBuffer.isEmpty {
                diskFull = true
                bufferInMemory([record])
                return
            }
            do {
                try writeToDisk(record)
                return
            } catch {
                if noteWriteFailure(error), memoryBuffer.isEmpty, dropOldestSealedSegment(reason: "disk full") {
                    continue
                }
                diskFull = true
                logger.error(
                    "spool cannot write; holding records in memory until the disk recovers",
                    metadata: [
                        "error": "\(error)", "memory_buffer_limit_bytes": "\(configuration.memoryBufferBytes)",
                    ])
            }
        }
    }

    /// Counts a failed write; true when the cause is a full disk (and dropping old data may help).
    func noteWriteFailure(_ error: SpoolError) -> Bool {
        guard error.isNoSpace else { return false }
        diskFullEvents += 1
        metrics.diskFullEvents.increment()
        return true
    }

    /// Writes a framed record at the end of the active segment, first rotating when it would not fit.
    /// A failed write is cut back off the file, so no partial record stays behind.
    func writeToDisk(_ record: PendingRecord) throws(SpoolError) {
        let headerSize = Int64(RecordFormat.segmentHeaderSize)
        if activeWriteOffset > headerSize,
            activeWriteOffset + Int64(record.bytes.count) > Int64(configuration.segmentBytes)
        {
            try rotate(nextBase: record.sequence)
        }
        do {
            try activeFile.write(record.bytes, at: activeWriteOffset)
        } catch {
            try? activeFile.truncate(to: activeWriteOffset)
            throw error
        }
        activeWriteOffset += Int64(record.bytes.count)
        unsynced.append(record)
    }

    /// Seals the active segment (synced) and starts a new one whose first record is `nextBase`.
    private func rotate(nextBase: BatchSequence) throws(SpoolError) {
        try syncActive()
        var summary = SegmentSummary(base: nextBase, directory: directory)
        let file: SpoolFile
        do {
            file = try SpoolFile(path: summary.path, create: true, exclusive: true)
            try file.write(RecordFormat.segmentHeader(base: nextBase), at: 0)
            try file.sync()
            try SpoolDirectory.sync(directory)
        } catch {
            try? SpoolDirectory.remove(summary.path)
            throw error
        }
        summary.bytes = Int64(RecordFormat.segmentHeaderSize)
        segments.append(summary)
        activeFile = file
        activeWriteOffset = summary.bytes
        enforceCaps()
    }

    /// Syncs the active segment, making the records written since the last sync durable.
    /// On failure nothing since the last good sync is trusted: it is cut off the file and the
    /// records go back to the front of the memory buffer.
    func syncActive() throws(SpoolError) {
        guard !unsynced.isEmpty else { return }
        let last = segments.count - 1
        do {
            try activeFile.sync()
        } catch {
            try? activeFile.truncate(to: segments[last].bytes)
            activeWriteOffset = segments[last].bytes
            let failed = unsynced
            unsynced.removeAll()
            bufferInMemory(failed, atFront: true)
            throw error
        }
        for record in unsynced {
            segments[last].add(
                sequence: record.sequence, resultCount: record.resultCount,
                createdAtMillis: record.createdAtMillis, encodedBytes: record.bytes.count)
        }
        durableThrough = max(durableThrough, unsynced[unsynced.count - 1].sequence)
        unsynced.removeAll(keepingCapacity: true)
        lastSync = clock.now
        notifyChange()
    }

    /// Syncs; a failure leaves the records in the memory buffer and the spool in disk-full mode.
    func syncOrBuffer() {
        do {
            try syncActive()
        } catch {
            _ = noteWriteFailure(error)
            diskFull = true
            logger.error(
                "spool sync failed; records held in memory until the disk recovers", metadata: ["error": "\(error)"])
        }
    }

    /// Suspends until the next sync. Appends arriving meanwhile write their record and wait for
    /// the same sync (group commit without added latency).
    func awaitSync() async {
        await withCheckedContinuation { continuation in
            syncWaiters.append(continuation)
            if !syncScheduled {
                syncScheduled = true
                // An unstructured task on this actor: it is enqueued behind the appends already
                // waiting for the executor, so one sync covers all of them. It lives only until
                // that sync is done and never outlives the waiters it resumes.
                Task { self.completeScheduledSync() }
            }
        }
    }

    private func completeScheduledSync() {
        syncScheduled = false
        syncOrBuffer()
        resumeSyncWaiters()
    }

    func resumeSyncWaiters() {
        let waiters = syncWaiters
        syncWaiters.removeAll()
        for waiter in waiters { waiter.resume() }
    }
}
