import Logging
import Metrics
import OutpostCore
import OutpostStore
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// The collector's single path to PostgreSQL for agent results: a bounded queue of verified
/// batches from every session, written in group commits by ``IngestWriter``.
///
/// ``Configuration/writers`` groups are written at once, each on its own connection, so a
/// batch does not wait for a commit of other agents' rows to finish before its own starts.
/// An agent's batches are never in two groups at once: they are written in arrival order, one
/// group after the other, so its devices' state changes in the order of its rounds.
///
/// Sessions call ``submit(_:)``, which returns once the batch's rows and sequence are
/// committed (or recognised as a replay): only then may the session acknowledge it. When the
/// queue holds `maxQueuedRows`, `submit` suspends, so sessions stop reading their sockets and
/// agents keep spooling: memory stays bounded while PostgreSQL is slow or down. A group that
/// fails for a connection or server error is retried with capped backoff until it commits;
/// nothing queued is dropped. A group refused for its data (SQLSTATE class 22 or 23: a value
/// out of its column's domain, a broken CHECK) is split and written batch by batch; a batch
/// refused on its own is kept whole in `ingest_quarantine` and its submitter gets
/// ``Quarantined``: one poison batch costs only itself (`docs/hostile-input.md`).
public final class IngestPipeline: Service, Sendable {
    /// How a submitted batch ended.
    public enum Disposition: Sendable, Equatable {
        /// Rows written and sequence recorded in this commit.
        case committed
        /// Already committed before: acknowledge, nothing written.
        case duplicate
    }

    /// Submission refused, or given up uncommitted, because the collector is stopping.
    public struct ShuttingDown: Error {}

    /// The batch's rows broke a database rule: it is kept in `ingest_quarantine` (its sequence
    /// recorded), and the agent is told for good.
    public struct Quarantined: Error, CustomStringConvertible {
        /// SQLSTATE and PostgreSQL's message.
        public let reason: String
        public var description: String { "batch quarantined: \(reason)" }
    }

    /// Tuning of the pipeline.
    public struct Configuration: Sendable {
        /// Rows waiting in memory before `submit` applies backpressure.
        public var maxQueuedRows = 500_000
        /// Rows written in one transaction at most (one batch larger than this is written alone).
        public var maxGroupRows = 100_000
        /// Longest wait between retries of a failed group commit.
        public var maxRetryDelay: Duration = .seconds(5)
        /// A commit attempt taking longer, opening its connection included, is abandoned (its
        /// statement cancelled on the server, its server process terminated if it does not end,
        /// its transaction rolled back) and retried on a new connection: a server that vanished
        /// or stopped answering, or a transaction stuck behind a lock, must not wedge ingest.
        public var commitTimeout: Duration = .seconds(30)
        /// A device whose reachability does not change gets `last_seen`/`last_probe_at`
        /// written when its newest round is this much newer than the last written one (state
        /// changes are written at once): see ``IngestWriter/init(logger:deviceStateRefresh:)``.
        public var deviceStateRefresh: Duration = .seconds(5)
        /// Groups written concurrently, each in its own transaction on its own connection
        /// (at least 1).
        public var writers = 2
        /// Batches waiting without any commit for longer than this make ``stall`` report a
        /// stall (`/readyz` then answers 503).
        public var stallBound: Duration = .seconds(60)

        public init() {}
    }

    private struct Pending {
        let batch: IngestBatch
        let reply: CheckedContinuation<Disposition, any Error>
    }

    private struct State {
        var queue: [Pending] = []
        var queuedRows = 0
        var spaceWaiters: [CheckedContinuation<Void, Never>] = []
        var workWaiters: [CheckedContinuation<Void, Never>] = []
        /// Agents with a batch in a group being written: their queued batches wait for it.
        var agentsBeingWritten: Set<AgentID> = []
        var stopped = false
        /// Batches submitted and not yet answered (queued or in a group being written).
        var pendingBatches = 0
        /// Since when batches have been pending without a break.
        var pendingSince = ContinuousClock.now
        /// When a group last committed or a batch was last quarantined.
        var lastProgress = ContinuousClock.now

        /// Whether a queued batch can start a group now.
        var hasWritableBatch: Bool {
            queue.contains { !agentsBeingWritten.contains($0.batch.agentID) }
        }

        /// Takes the waiting writers out of the state, to be resumed (each re-checks for work).
        mutating func takeWorkWaiters() -> [CheckedContinuation<Void, Never>] {
            defer { workWaiters = [] }
            return workWaiters
        }
    }

    private let database: DatabaseURL
    private let writer: IngestWriter
    private let configuration: Configuration
    private let logger: Logger
    private let state = Mutex(State())
    private let metrics: IngestMetrics
    private let stateChanges: @Sendable ([DeviceStateChange]) -> Void
    private let committedBatches: @Sendable ([IngestBatch]) -> Void

    /// - Parameters:
    ///   - metricsFactory: where the pipeline's metrics go (default: the process's bootstrapped backend).
    ///   - stateChanges: called after each commit with the devices that went down or came back.
    ///   - committed: called after each commit with the batches it wrote (not replays); it must
    ///     return at once (the alert engine only queues them).
    ///
    /// Each of the pipeline's writers has a connection of its own, which it re-opens after any
    /// failure, within the commit deadline.
    public init(
        database: DatabaseURL, configuration: Configuration = .init(), logger: Logger,
        metricsFactory: any MetricsFactory = MetricsSystem.factory,
        stateChanges: @escaping @Sendable ([DeviceStateChange]) -> Void = { _ in },
        committed: @escaping @Sendable ([IngestBatch]) -> Void = { _ in }
    ) {
        self.database = database
        self.writer = IngestWriter(logger: logger, deviceStateRefresh: configuration.deviceStateRefresh)
        self.configuration = configuration
        self.logger = logger
        self.metrics = IngestMetrics(factory: metricsFactory)
        metrics.queueCapacityRows.record(configuration.maxQueuedRows)
        self.stateChanges = stateChanges
        self.committedBatches = committed
    }

    /// Queues `batch` and returns after it is durable in PostgreSQL (or known as a replay).
    public func submit(_ batch: IngestBatch) async throws -> Disposition {
        guard await reserveSpace(rows: batch.rowCount) else { throw ShuttingDown() }
        return try await withCheckedThrowingContinuation { reply in
            let (accepted, waiters) = state.withLock { state -> (Bool, [CheckedContinuation<Void, Never>]) in
                guard !state.stopped else {
                    state.queuedRows -= batch.rowCount
                    state.pendingBatches -= 1
                    return (false, [])
                }
                state.queue.append(Pending(batch: batch, reply: reply))
                return (true, state.takeWorkWaiters())
            }
            guard accepted else { return reply.resume(throwing: ShuttingDown()) }
            for waiter in waiters { waiter.resume() }
        }
    }

    /// Rows currently queued and not yet committed.
    public var queuedRows: Int { state.withLock { $0.queuedRows } }

    /// Submissions held back because their rows do not fit in the queue (backpressure).
    public var submissionsWaitingForSpace: Int { state.withLock { $0.spaceWaiters.count } }

    /// How long batches have been waiting without any of them committing, when that is longer
    /// than ``Configuration/stallBound``; `nil` while ingest makes progress or has nothing to do.
    public var stall: Duration? {
        let now = ContinuousClock.now
        return state.withLock { state in
            guard state.pendingBatches > 0 else { return nil }
            let waiting = max(state.lastProgress, state.pendingSince).duration(to: now)
            return waiting > configuration.stallBound ? waiting : nil
        }
    }

    /// Writes groups until graceful shutdown, then drains what is queued and returns: each
    /// group left gets one attempt, and a group that fails is given up (its submitters get
    /// ``ShuttingDown``), so the collector stops even while PostgreSQL is down.
    /// Cancellation stops at once: queued submitters get `CancellationError` (their batches
    /// were never acknowledged, so their agents send them again).
    public func run() async throws {
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await withTaskGroup(of: Void.self) { writers in
                    for _ in 0..<max(1, configuration.writers) {
                        writers.addTask { await self.writeGroups() }
                    }
                }
            } onGracefulShutdown: {
                self.stop()
            }
        } onCancel: {
            self.stop()
        }
        let abandoned = state.withLock { state in
            defer {
                state.queuedRows -= state.queue.reduce(0) { $0 + $1.batch.rowCount }
                state.pendingBatches -= state.queue.count
                metrics.queuedRows.record(state.queuedRows)
                state.queue = []
            }
            return state.queue
        }
        for pending in abandoned { pending.reply.resume(throwing: CancellationError()) }
    }

    /// One writer: takes groups and commits them on its own connection until the pipeline stops.
    private func writeGroups() async {
        var connection: WriterConnection?
        while let group = await nextGroup() {
            connection = await commit(group, reusing: connection)
            let waiters = state.withLock { state in
                for pending in group { state.agentsBeingWritten.remove(pending.batch.agentID) }
                return state.takeWorkWaiters()
            }
            // Batches of these agents that queued meanwhile may now start a group elsewhere.
            for waiter in waiters { waiter.resume() }
        }
        connection?.closeInBackground()
    }

    private func stop() {
        let (workWaiters, spaceWaiters) = state.withLock { state in
            state.stopped = true
            defer { state.spaceWaiters = [] }
            return (state.takeWorkWaiters(), state.spaceWaiters)
        }
        for waiter in workWaiters { waiter.resume() }
        for waiter in spaceWaiters { waiter.resume() }
    }

    /// Waits until `rows` fit under `maxQueuedRows` and counts them as queued at once (so two
    /// submitters never both take the last of the space); false once the pipeline stopped.
    private func reserveSpace(rows: Int) async -> Bool {
        enum Admission { case reserved, stopped, full }
        while true {
            var admission = Admission.full
            await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
                admission = state.withLock { state in
                    guard !state.stopped else { return .stopped }
                    // A batch is always admitted into an empty queue, however large.
                    guard state.queuedRows == 0 || state.queuedRows + rows <= configuration.maxQueuedRows else {
                        state.spaceWaiters.append(waiter)
                        return .full
                    }
                    state.queuedRows += rows
                    if state.pendingBatches == 0 { state.pendingSince = .now }
                    state.pendingBatches += 1
                    metrics.queuedRows.record(state.queuedRows)
                    return .reserved
                }
                if admission != .full { waiter.resume() }
            }
            switch admission {
            case .reserved: return true
            case .stopped: return false
            case .full: continue  // woken by released space or by stop(): look again
            }
        }
    }

    /// The next group of batches, waiting for work; `nil` once stopped and drained.
    ///
    /// A group takes queued batches in arrival order, skipping the agents another writer is
    /// writing, up to `maxGroupRows`; its agents are then marked as being written.
    private func nextGroup() async -> [Pending]? {
        while true {
            enum Next {
                case group([Pending])
                case wait, done
            }
            let next: Next = state.withLock { state in
                guard !state.queue.isEmpty else { return state.stopped ? .done : .wait }
                var rows = 0
                var full = false
                var group: [Pending] = []
                var rest: [Pending] = []
                for pending in state.queue {
                    if !full && !group.isEmpty && rows + pending.batch.rowCount > configuration.maxGroupRows {
                        full = true
                    }
                    if full || state.agentsBeingWritten.contains(pending.batch.agentID) {
                        rest.append(pending)
                    } else {
                        rows += pending.batch.rowCount
                        group.append(pending)
                    }
                }
                guard !group.isEmpty else { return .wait }
                state.queue = rest
                for pending in group { state.agentsBeingWritten.insert(pending.batch.agentID) }
                return .group(group)
            }
            switch next {
            case .group(let group): return group
            case .done: return nil
            case .wait where Task.isCancelled: return nil
            case .wait:
                await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
                    let ready = state.withLock { state in
                        if state.hasWritableBatch || (state.stopped && state.queue.isEmpty) { return true }
                        state.workWaiters.append(waiter)
                        return false
                    }
                    if ready { waiter.resume() }
                }
            }
        }
    }

    /// Writes one group on `connection` (or a new one), retrying until it commits; then answers
    /// every submitter. A group PostgreSQL refuses for its data is written again batch by
    /// batch, and a single batch so refused is quarantined. Returns the connection for the
    /// next group (`nil` after cancellation).
    private func commit(_ group: [Pending], reusing connection: WriterConnection?) async -> WriterConnection? {
        var delay = Duration.milliseconds(100)
        let batches = group.map(\.batch)
        var connection = connection
        while true {
            let started = ContinuousClock.now
            do {
                let (outcome, used) = try await CommitDeadline.write(
                    batches, with: writer, reusing: connection, timeout: configuration.commitTimeout,
                    database: database, logger: logger)
                connection = used
                metrics.recordCommit(outcome, batches: batches.count, duration: started.duration(to: .now))
                // Before the replies: a submitter that got its answer sees its rows gone from the queue.
                release(batches, progressed: true)
                let committed = Set(outcome.committed)
                // A key both committed and duplicated (sent twice in one group): the first
                // submitter is told committed, the later ones duplicate.
                var answered = Set<BatchKey>()
                var written: [IngestBatch] = []
                for pending in group {
                    let key = BatchKey(agentID: pending.batch.agentID, sequence: pending.batch.sequence)
                    let first = answered.insert(key).inserted
                    if committed.contains(key) && first { written.append(pending.batch) }
                    pending.reply.resume(returning: committed.contains(key) && first ? .committed : .duplicate)
                }
                if !outcome.stateChanges.isEmpty { stateChanges(outcome.stateChanges) }
                if !written.isEmpty { committedBatches(written) }
                if outcome.unknownDeviceRows > 0 {
                    logger.warning("rows for unknown devices", metadata: ["rows": "\(outcome.unknownDeviceRows)"])
                }
                return connection
            } catch {
                // A failed attempt closed its connection; a timed-out one has it closed once its
                // write ended. The next attempt opens a new one.
                connection = nil
                if giveUpIfStopping(group, after: error) { return nil }
                if let refusal = DataRefusal(error) {
                    guard group.count > 1 else { return await quarantine(group[0], refusal) }
                    logger.warning(
                        "group refused for its data; writing its batches one by one",
                        metadata: [
                            "batches": "\(batches.count)", "error": "\(refusal)",
                        ])
                    for pending in group { connection = await commit([pending], reusing: connection) }
                    return connection
                }
                metrics.commitFailures.increment()
                logger.error(
                    "group commit failed; retrying",
                    metadata: [
                        "batches": "\(batches.count)", "retry_in": "\(delay)", "error": "\(String(reflecting: error))",
                    ])
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, configuration.maxRetryDelay)
            }
        }
    }

    /// Keeps `pending` in quarantine (retrying like a commit while PostgreSQL is unreachable)
    /// and answers its submitter with ``Quarantined``, or `.duplicate` when its sequence was
    /// committed before. Returns the connection for the next group.
    private func quarantine(_ pending: Pending, _ refusal: DataRefusal) async -> WriterConnection? {
        let quarantine = IngestQuarantine(logger: logger)
        let batch = pending.batch
        var delay = Duration.milliseconds(100)
        while true {
            do {
                let (held, connection) = try await CommitDeadline.run(
                    reusing: nil, timeout: configuration.commitTimeout, database: database, logger: logger
                ) { connection in
                    try await quarantine.hold(
                        batch, sqlState: refusal.sqlState, error: refusal.fullMessage, on: connection)
                }
                release([batch], progressed: true)
                if held {
                    metrics.quarantinedBatches.increment()
                    logger.error(
                        "batch quarantined: PostgreSQL refused its rows (list with `outpost-collector quarantine list`)",
                        metadata: [
                            "agent": "\(batch.agentID)", "sequence": "\(batch.sequence)", "error": "\(refusal)",
                        ])
                    pending.reply.resume(throwing: Quarantined(reason: refusal.description))
                } else {
                    pending.reply.resume(returning: .duplicate)
                }
                return connection
            } catch {
                if giveUpIfStopping([pending], after: error) { return nil }
                metrics.commitFailures.increment()
                logger.error(
                    "cannot quarantine a batch; retrying",
                    metadata: [
                        "agent": "\(batch.agentID)", "sequence": "\(batch.sequence)", "retry_in": "\(delay)",
                        "error": "\(String(reflecting: error))",
                    ])
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, configuration.maxRetryDelay)
            }
        }
    }

    /// Stopping: the group is given up, not retried until PostgreSQL answers (the collector
    /// would never stop while it is down). Its batches were never acknowledged, so their agents
    /// send them again. Returns whether it gave up.
    private func giveUpIfStopping(_ group: [Pending], after error: any Error) -> Bool {
        let stopping = state.withLock { $0.stopped }
        guard Task.isCancelled || stopping else { return false }
        let reason: any Error = Task.isCancelled ? CancellationError() : ShuttingDown()
        release(group.map(\.batch), progressed: false)
        for pending in group { pending.reply.resume(throwing: reason) }
        if stopping {
            logger.warning(
                "group not committed at shutdown; its agents will send it again",
                metadata: [
                    "batches": "\(group.count)", "error": "\(String(reflecting: error))",
                ])
        }
        return true
    }

    /// Takes answered `batches` out of the queue's accounting; `progressed` when they ended
    /// committed or quarantined (not given up).
    private func release(_ batches: [IngestBatch], progressed: Bool) {
        let rows = batches.reduce(0) { $0 + $1.rowCount }
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.queuedRows -= rows
            state.pendingBatches -= batches.count
            if progressed { state.lastProgress = .now }
            metrics.queuedRows.record(state.queuedRows)
            defer { state.spaceWaiters = [] }
            return state.spaceWaiters
        }
        // Woken submitters look at the limit again (``reserveSpace(rows:)``).
        for waiter in waiters { waiter.resume() }
    }
}
