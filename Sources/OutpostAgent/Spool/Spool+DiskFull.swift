extension Spool {
    /// Holds records that could not be written, newest kept: past
    /// ``SpoolConfiguration/memoryBufferBytes`` the oldest held records are dropped and counted.
    func bufferInMemory(_ records: [PendingRecord], atFront: Bool = false) {
        if atFront {
            memoryBuffer.insert(contentsOf: records, at: 0)
        } else {
            memoryBuffer.append(contentsOf: records)
        }
        memoryBufferBytes += records.reduce(0) { $0 + $1.bytes.count }
        var overflow = 0
        var droppedResults: UInt64 = 0
        while memoryBufferBytes > configuration.memoryBufferBytes, overflow < memoryBuffer.count {
            memoryBufferBytes -= memoryBuffer[overflow].bytes.count
            droppedResults += UInt64(memoryBuffer[overflow].resultCount)
            overflow += 1
        }
        guard overflow > 0 else { return }
        memoryBuffer.removeFirst(overflow)
        recordDrops(results: droppedResults, batches: UInt64(overflow), through: nil)
        if memoryDropsThisEpisode == 0 {
            logger.error(
                "spool memory buffer full while the disk is full; dropping the oldest held records",
                metadata: [
                    "memory_buffer_limit_bytes": "\(configuration.memoryBufferBytes)"
                ])
        }
        memoryDropsThisEpisode += UInt64(overflow)
    }

    /// Writes the memory buffer to disk when space has returned. Probes at most every
    /// ``SpoolConfiguration/diskFullRetryInterval`` unless `force` is set.
    func retryDiskWrites(force: Bool) {
        guard diskFull else { return }
        if !force, let last = lastDiskRetry, clock.now - last < configuration.diskFullRetryInterval { return }
        lastDiskRetry = clock.now
        let pending = memoryBuffer
        memoryBuffer.removeAll()
        memoryBufferBytes = 0
        var written = 0
        while written < pending.count {
            do {
                try writeToDisk(pending[written])
                written += 1
            } catch {
                if noteWriteFailure(error), memoryBuffer.isEmpty, dropOldestSealedSegment(reason: "disk full") {
                    continue
                }
                // Whatever a failed sync put back is older than the records not yet tried.
                bufferInMemory(Array(pending[written...]))
                return
            }
        }
        syncOrBuffer()
        guard memoryBuffer.isEmpty else { return }
        diskFull = false
        logger.notice(
            "spool disk writable again; held records written",
            metadata: [
                "records_written": "\(written)", "records_dropped_while_full": "\(memoryDropsThisEpisode)",
            ])
        memoryDropsThisEpisode = 0
    }
}
