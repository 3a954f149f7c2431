import CoreMetrics
import Foundation
import Logging
import OutpostCore

/// The agent's durable store-and-forward spool: an append-only log of signed batches in
/// segment files under the agent's state directory.
///
/// Producers ``append(payload:resultCount:)`` batches and get their sequence number; the uplink
/// reads them oldest first with ``replay(inFlightLimit:bytesPerSecond:)`` and calls
/// ``acknowledge(through:)`` when the collector committed them. A segment file is deleted only
/// once every batch in it was acknowledged, or dropped by a capacity cap (oldest first, counted
/// in ``unreportedDrops`` for the next `Hello`). Sequence numbers never go back, across restarts too.
///
/// All file I/O runs on the spool's own serial executor (a dispatch queue), never on the
/// cooperative thread pool. Call ``run()`` in the agent's task group for the timed duties:
/// group commit, probing a full disk, the age cap and persisting acknowledgements.
///
/// ```swift
/// let spool = try Spool.open(directory: stateDirectory + "/spool", logger: logger)
/// // batcher
/// let sequence = try await spool.append(payload: signedBatchBytes, resultCount: 1_000)
/// // uplink, once per connection, after a Hello carrying `await spool.unreportedDrops`
/// for await record in spool.replay(inFlightLimit: 32, bytesPerSecond: 128 * 1024) {
///     try await connection.send(record.payload)      // the collector answers Ack(seq)
/// }
/// // uplink, on Ack(seq):
/// try await spool.acknowledge(through: seq)
/// ```
public actor Spool {
    private nonisolated let executor = SpoolExecutor()

    /// The spool's executor: a private dispatch queue for its blocking file I/O.
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    let directory: String
    let configuration: SpoolConfiguration
    let logger: Logger
    let metrics: SpoolMetrics
    let now: @Sendable () -> Date
    let clock = ContinuousClock()
    private var lockFile: SpoolFile

    var stateFile: SpoolStateFile
    var state: SpoolPersistentState
    /// Oldest first; the last one is the active segment. Summaries count durable records only.
    var segments: [SegmentSummary]
    var activeFile: SpoolFile
    /// End of the written data in the active segment, synced or not.
    var activeWriteOffset: Int64
    /// Records written to the active segment since its last sync, oldest first.
    var unsynced: [PendingRecord] = []
    var syncWaiters: [CheckedContinuation<Void, Never>] = []
    var syncScheduled = false
    var lastSync: ContinuousClock.Instant
    var nextSequence: BatchSequence
    /// Every sequence up to this one is on disk and synced (or was dropped).
    var durableThrough: BatchSequence
    var readFiles: [BatchSequence: SpoolFile] = [:]
    /// Records waiting for disk space, oldest first.
    var memoryBuffer: [PendingRecord] = []
    var memoryBufferBytes = 0
    var diskFull = false
    /// Held records dropped since the disk became full (logged once, summed on recovery).
    var memoryDropsThisEpisode: UInt64 = 0
    var lastDiskRetry: ContinuousClock.Instant?
    var lastStatePersist: ContinuousClock.Instant
    var stateDirty = false
    var capsChecked = false
    var changeVersion: UInt64 = 0
    var changeWaiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    var nextWaiterID: UInt64 = 0
    var diskFullEvents: UInt64 = 0
    var tornTailBytes: UInt64
    var corruptionEvents: UInt64
    var isClosed = false

    /// Opens (creating if needed) the spool in `directory`, repairing a torn tail left by a crash.
    ///
    /// Blocks while it scans the segments: call it once at agent start-up.
    /// - Throws: ``SpoolError/directoryInUse(path:)`` when another process has the directory open,
    ///   ``SpoolError/invalidConfiguration(_:)``, or ``SpoolError/io(operation:path:errno:)``.
    public static func open(
        directory: String,
        configuration: SpoolConfiguration = SpoolConfiguration(),
        logger: Logger,
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) throws -> Spool {
        try Spool(
            directory: directory, configuration: configuration, logger: logger,
            metricsFactory: metricsFactory, now: { Date() })
    }

    init(
        directory: String, configuration: SpoolConfiguration, logger: Logger,
        metricsFactory: any MetricsFactory, now: @escaping @Sendable () -> Date
    ) throws {
        try configuration.validate()
        try SpoolDirectory.create(directory)
        let lockFile = try SpoolFile(path: directory + "/spool.lock", create: true)
        // A previous owner may be in the last moments of exiting (its descriptors close with the
        // process): wait up to two seconds before declaring the directory in use.
        var locked = lockFile.tryLock()
        for _ in 0..<40 where !locked {
            usleep(50_000)
            locked = lockFile.tryLock()
        }
        guard locked else { throw SpoolError.directoryInUse(path: directory) }
        let (stateFile, state, damaged) = try SpoolStateFile.open(directory: directory)
        if damaged {
            logger.error(
                "spool state file damaged; acknowledgements will be re-sent", metadata: ["directory": "\(directory)"])
        }
        let recovered = try SpoolRecovery.recover(
            directory: directory, configuration: configuration,
            state: state, logger: logger)
        self.directory = directory
        self.configuration = configuration
        self.logger = logger
        self.metrics = SpoolMetrics(factory: metricsFactory)
        self.now = now
        self.lockFile = lockFile
        self.stateFile = stateFile
        self.state = state
        self.segments = recovered.segments
        self.activeFile = recovered.activeFile
        self.activeWriteOffset = recovered.segments[recovered.segments.count - 1].bytes
        self.nextSequence = recovered.nextSequence
        self.durableThrough = recovered.nextSequence - 1
        self.tornTailBytes = recovered.tornTailBytes
        self.corruptionEvents = recovered.corruptionEvents
        self.lastSync = clock.now
        self.lastStatePersist = clock.now
        metrics.tornTailBytes.increment(by: Int64(recovered.tornTailBytes))
        metrics.corruptionEvents.increment(by: Int64(recovered.corruptionEvents))
    }

    /// Appends one batch and returns the sequence number it was given.
    ///
    /// Under ``SpoolConfiguration/SyncPolicy/everyBatch`` it returns once the batch is synced to
    /// disk; under group commit once it is written to the kernel. When the disk is full the spool
    /// first drops its oldest segment to make room (counted as dropped); when nothing is left to
    /// drop the batch waits in a bounded memory buffer (``SpoolStats/memoryBufferedRecords``) and is
    /// written as soon as space returns.
    /// - Throws: ``SpoolError/recordTooLarge(bytes:limit:)``, ``SpoolError/closed``.
    public func append(payload: [UInt8], resultCount: UInt32) async throws -> BatchSequence {
        try await append(resultCount: resultCount) { _ in payload }
    }

    /// Appends one batch whose bytes depend on its sequence number (a signed batch carries it):
    /// `makePayload` is called with the number the batch gets, on the spool's executor.
    /// Same durability and errors as ``append(payload:resultCount:)``; the sequence is consumed
    /// only when the batch is stored.
    public func append(resultCount: UInt32, makePayload: (BatchSequence) throws -> [UInt8]) async throws
        -> BatchSequence
    {
        guard !isClosed else { throw SpoolError.closed }
        let sequence = nextSequence
        let payload = try makePayload(sequence)
        guard payload.count <= configuration.maxRecordBytes else {
            throw SpoolError.recordTooLarge(bytes: payload.count, limit: configuration.maxRecordBytes)
        }
        if !capsChecked {
            capsChecked = true
            enforceCaps()
        }
        nextSequence += 1
        let millis = RecordFormat.millis(now())
        let record = PendingRecord(
            sequence: sequence, resultCount: resultCount, createdAtMillis: millis,
            bytes: RecordFormat.encode(
                sequence: sequence, resultCount: resultCount, createdAtMillis: millis, payload: payload)
        )
        store(record)
        switch configuration.syncPolicy {
        case .everyBatch:
            if !unsynced.isEmpty { await awaitSync() }
        case .groupCommit(let interval):
            if clock.now - lastSync >= interval { syncOrBuffer() }
        }
        updateGauges()
        return sequence
    }

    /// Records that the collector committed every batch up to and including `sequence`.
    ///
    /// Segments whose batches are all acknowledged are deleted. Acknowledgements are persisted at
    /// least every ``SpoolConfiguration/acknowledgementPersistInterval``; after a crash the few
    /// not yet persisted are re-sent and recognised by the collector by their sequence.
    /// - Throws: ``SpoolError/acknowledgementBeyondDurable(requested:durableThrough:)`` when
    ///   `sequence` was never handed out by the replay (nothing is changed), ``SpoolError/closed``.
    public func acknowledge(through sequence: BatchSequence) throws {
        guard !isClosed else { throw SpoolError.closed }
        guard sequence <= durableThrough else {
            throw SpoolError.acknowledgementBeyondDurable(requested: sequence, durableThrough: durableThrough)
        }
        guard sequence > state.acknowledgedThrough else { return }
        state.acknowledgedThrough = sequence
        stateDirty = true
        if !deleteAcknowledgedSegments(), clock.now - lastStatePersist >= configuration.acknowledgementPersistInterval {
            persistState()
        }
        notifyChange()
        updateGauges()
    }

    /// Drops not yet reported to the collector: put them in the next `Hello`.
    public var unreportedDrops: SpoolDropReport {
        SpoolDropReport(
            droppedResults: state.droppedResults - state.reportedDroppedResults,
            droppedBatches: state.droppedBatches - state.reportedDroppedBatches)
    }

    /// Records that the collector accepted a `Hello` carrying `report` (from ``unreportedDrops``).
    public func markDropsReported(_ report: SpoolDropReport) {
        state.reportedDroppedResults = min(state.droppedResults, state.reportedDroppedResults + report.droppedResults)
        state.reportedDroppedBatches = min(state.droppedBatches, state.reportedDroppedBatches + report.droppedBatches)
        persistState()
    }

    /// A snapshot of sizes, sequence marks and loss counters.
    public var stats: SpoolStats {
        SpoolStats(
            bytes: totalBytes,
            records: segments.reduce(0) { $0 + $1.records },
            oldestRecordCreatedAt: segments.lazy.compactMap(\.oldestCreatedAtMillis).first.map(
                RecordFormat.date(millis:)),
            lastSequence: nextSequence - 1,
            durableThrough: durableThrough,
            acknowledgedThrough: state.acknowledgedThrough,
            droppedResults: state.droppedResults,
            droppedBatches: state.droppedBatches,
            diskFullEvents: diskFullEvents,
            memoryBufferedRecords: memoryBuffer.count,
            tornTailBytesTruncated: tornTailBytes,
            corruptionEvents: corruptionEvents
        )
    }

    /// Runs the timed duties until the calling task is cancelled: group-commit syncs, probing a
    /// full disk for space, the age cap and persisting acknowledgements.
    public func run() async {
        var tick = min(configuration.diskFullRetryInterval, configuration.acknowledgementPersistInterval, .seconds(1))
        if case .groupCommit(let interval) = configuration.syncPolicy { tick = min(tick, interval) }
        tick = max(tick, .milliseconds(1))
        while !isClosed {
            do {
                try await Task.sleep(for: tick)
            } catch {
                return
            }
            maintain()
        }
    }

    /// Syncs, persists the state and closes the files; a later ``append(payload:resultCount:)`` throws
    /// ``SpoolError/closed`` and replays finish. Records still in the memory buffer are lost and logged.
    public func close() {
        guard !isClosed else { return }
        syncOrBuffer()
        if !memoryBuffer.isEmpty {
            logger.error(
                "spool closed with records only in memory (disk full); they are lost",
                metadata: [
                    "records": "\(memoryBuffer.count)"
                ])
        }
        persistState()
        isClosed = true
        resumeSyncWaiters()
        notifyChange()
        readFiles.removeAll()
        activeFile.close()
        lockFile.close()
    }

    /// One pass of the timed duties (what ``run()`` does every tick).
    func maintain() {
        guard !isClosed else { return }
        if case .groupCommit(let interval) = configuration.syncPolicy, clock.now - lastSync >= interval {
            syncOrBuffer()
        }
        retryDiskWrites(force: false)
        enforceCaps()
        // New batches count too: `outpost-agent status` reads "created through" from the state
        // file, which must not stand still while the collector is unreachable (no acks).
        if stateDirty || state.sequenceFloor < nextSequence,
            clock.now - lastStatePersist >= configuration.acknowledgementPersistInterval
        {
            persistState()
        }
        updateGauges()
    }

    /// Bytes of all segment files, including written but not yet synced data.
    var totalBytes: Int64 {
        segments.dropLast().reduce(0) { $0 + $1.bytes } + activeWriteOffset
    }

    /// Durably writes the state; failure is logged and retried with the next change.
    func persistState() {
        state.sequenceFloor = max(state.sequenceFloor, nextSequence)
        do {
            try stateFile.write(state)
            stateDirty = false
            lastStatePersist = clock.now
        } catch {
            stateDirty = true
            logger.error("spool state not persisted", metadata: ["error": "\(error)"])
        }
    }

    func updateGauges() {
        metrics.bytes.record(totalBytes)
        metrics.records.record(segments.reduce(0) { $0 + $1.records })
        metrics.memoryBufferedRecords.record(memoryBuffer.count)
    }

    /// Wakes every replay waiting for a new durable record or an acknowledgement.
    func notifyChange() {
        changeVersion &+= 1
        let waiters = changeWaiters.values
        changeWaiters.removeAll()
        for waiter in waiters { waiter.resume() }
    }
}

/// A framed record on its way to disk.
struct PendingRecord: Sendable {
    let sequence: BatchSequence
    let resultCount: UInt32
    let createdAtMillis: Int64
    let bytes: [UInt8]
}
