import Foundation
import Logging
import OutpostCore
import OutpostStore
import OutpostWire
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Runs traceroute and MTR jobs on the collector side: creates the jobs of devices that went
/// down (rate-limited per branch) and of due schedules, dispatches pending jobs to a connected
/// agent of the device's branch, forwards cancellations, records what the agents report
/// (validated: every report is hostile input), and fails jobs no agent can run, with the reason.
/// Each job it ends is handed to `ended` (the alert engine's `path_changed`).
///
/// Several collectors may share the database: jobs are claimed with `FOR UPDATE SKIP LOCKED`
/// and triggered jobs are created under advisory locks, so each is created and dispatched once.
public final class DiagnosticsDispatcher: Service, Sendable {
    /// Dispatcher tuning.
    public struct Configuration: Sendable {
        /// How often pending jobs, triggers and cancellations are checked (a new job or a
        /// connecting agent also wakes the dispatcher at once).
        public var pollInterval: Duration = .seconds(1)
        /// A pending job no collector could dispatch within this time fails: no agent of the
        /// device's branch is connected.
        public var undispatchableSeconds = 10
        /// A dispatched or running job with no report for this long fails.
        public var silentJobTimeoutSeconds = 1_200
        /// Whether devices going down start a trace.
        public var tracesOnDown = true
        /// Limits of those traces.
        public var downTraceLimits = DiagnosticJobStore.DownTraceLimits()
        /// Largest report accepted from an agent, in bytes.
        public var maximumReportBytes = 256 << 10

        public init() {}
    }

    private struct Dispatched {
        let agent: AgentID
        let channel: ObjectIdentifier
    }

    private let client: PostgresClient
    private let registry: SessionRegistry
    private let configuration: Configuration
    private let logger: Logger
    private let dispatched = Mutex<[UUID: Dispatched]>([:])
    private let wakeUps: AsyncStream<Void>
    private let wakeUp: AsyncStream<Void>.Continuation
    private let ended: @Sendable (DiagnosticJobEnding) -> Void

    /// - Parameters:
    ///   - registry: the sessions jobs are sent on; share it with the ``AgentSessionContext``.
    ///   - ended: told of every job an agent's report ended; must not wait (pass
    ///     ``AlertEngine/observe(trace:)``).
    public init(
        client: PostgresClient, registry: SessionRegistry, configuration: Configuration = .init(), logger: Logger,
        ended: @escaping @Sendable (DiagnosticJobEnding) -> Void = { _ in }
    ) {
        self.client = client
        self.ended = ended
        self.registry = registry
        self.configuration = configuration
        self.logger = logger
        (wakeUps, wakeUp) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Checks at once instead of at the next poll.
    public func wake() {
        wakeUp.yield()
    }

    public func run() async throws {
        let ticker = Task { [wakeUp, configuration] in
            while !Task.isCancelled {
                try? await Task.sleep(for: configuration.pollInterval)
                wakeUp.yield()
            }
        }
        defer { ticker.cancel() }
        await withGracefulShutdownHandler {
            for await _ in wakeUps.cancelOnGracefulShutdown() {
                do {
                    try await client.withConnection(timeout: PostgresClient.callTimeout) { connection in
                        try await self.round(on: connection)
                    }
                } catch {
                    logger.error(
                        "diagnostics dispatch round failed; retrying",
                        metadata: ["error": "\(String(reflecting: error))"])
                }
            }
        } onGracefulShutdown: { [wakeUp] in
            wakeUp.finish()
        }
    }

    private func round(on connection: PostgresConnection) async throws {
        let jobs = DiagnosticJobStore(logger: logger)
        if configuration.tracesOnDown {
            let created = try await jobs.createDownTriggered(limits: configuration.downTraceLimits, on: connection)
            if !created.isEmpty { logger.info("devices down: traces created", metadata: ["jobs": "\(created)"]) }
            try await jobs.linkDownAlerts(on: connection)
        }
        try await jobs.createScheduled(on: connection)
        try await dispatchPending(jobs, on: connection)
        try await forwardCancellations(jobs, on: connection)
        let undispatchable = try await jobs.failUndispatchable(
            olderThan: configuration.undispatchableSeconds, on: connection)
        if !undispatchable.isEmpty {
            logger.warning("diagnostic jobs failed: no agent to run them", metadata: ["jobs": "\(undispatchable)"])
        }
        let silent = try await jobs.failSilent(olderThan: configuration.silentJobTimeoutSeconds, on: connection)
        if !silent.isEmpty {
            dispatched.withLock { jobs in for id in silent { jobs[id] = nil } }
        }
    }

    private func dispatchPending(_ jobs: DiagnosticJobStore, on connection: PostgresConnection) async throws {
        for claimed in try await jobs.claimPending(for: registry.welcomedAgents, on: connection) {
            let agent = AgentID(claimed.agentID)
            let parameters = DiagnosticJobParameters(
                target: claimed.targetIP, probeProtocol: claimed.probeProtocol, port: UInt16(clamping: claimed.port),
                cycles: claimed.cycles, resolveNames: claimed.resolveNames)
            guard let channel = registry.channel(of: agent) else {
                try await jobs.returnToPending(claimed.jobID, on: connection)
                continue
            }
            dispatched.withLock { $0[claimed.jobID] = Dispatched(agent: agent, channel: ObjectIdentifier(channel)) }
            do {
                let job = Job(
                    id: claimed.jobID, kind: claimed.kind == .mtr ? .mtr : .traceroute,
                    parameters: try parameters.encoded())
                try await channel.writeAndFlush(Message.job(job)).get()
                logger.info(
                    "diagnostic job dispatched",
                    metadata: [
                        "job": "\(claimed.jobID)", "kind": "\(claimed.kind.rawValue)", "agent": "\(agent)",
                    ])
            } catch {
                dispatched.withLock { $0[claimed.jobID] = nil }
                try await jobs.returnToPending(claimed.jobID, on: connection)
            }
        }
    }

    private func forwardCancellations(_ jobs: DiagnosticJobStore, on connection: PostgresConnection) async throws {
        let mine = dispatched.withLock { Array($0.keys) }
        for job in try await jobs.cancelRequested(among: mine, on: connection) {
            guard let target = dispatched.withLock({ $0[job] }), let channel = registry.channel(of: target.agent) else {
                continue
            }
            channel.writeAndFlush(
                Message.jobCancel(JobCancel(jobID: job, reason: "cancelled by an operator")), promise: nil)
        }
    }

    // MARK: Session reports

    /// Whether this dispatcher sent job `id` (its reports are this dispatcher's to record).
    public func owns(_ id: UUID) -> Bool {
        dispatched.withLock { $0[id] != nil }
    }

    /// Records a JobProgress of `agent`.
    func progress(_ progress: JobProgress, from agent: AgentID, on connection: PostgresConnection) async throws {
        try await DiagnosticJobStore(logger: logger).recordProgress(
            progress.jobID, agent: agent, completed: Int(clamping: min(progress.completedUnits, 1_000)),
            total: progress.totalUnits.map { Int(clamping: min($0, 1_000)) }, on: connection)
    }

    /// Ends a job as `agent` reported it; a report that does not decode or validate fails the job.
    func result(_ result: JobResult, from agent: AgentID, on connection: PostgresConnection) async throws {
        dispatched.withLock { $0[result.jobID] = nil }
        var status: DiagnosticJobRecord.Status =
            switch result.outcome {
            case .succeeded: .completed
            case .failed: .failed
            case .cancelled: .cancelled
            }
        var detail = result.detail.map { String($0.prefix(1_000)) }
        var report: DiagnosticReport?
        if status == .completed {
            do {
                guard result.payload.count <= configuration.maximumReportBytes else {
                    throw DiagnosticReportError("report of \(result.payload.count) bytes")
                }
                report = try DiagnosticReport(decoding: result.payload).validated()
            } catch {
                status = .failed
                detail = "the agent's report was refused: \(String("\(error)".prefix(300)))"
                logger.warning(
                    "diagnostic report refused",
                    metadata: ["job": "\(result.jobID)", "agent": "\(agent)", "error": "\(error)"])
            }
        }
        let ending = try await DiagnosticJobStore(logger: logger).end(
            result.jobID, agent: agent, status: status, report: report, detail: detail, on: connection)
        logger.info(
            "diagnostic job ended",
            metadata: [
                "job": "\(result.jobID)", "status": "\(status.rawValue)", "recorded": "\(ending != nil)",
                "path_changed": "\(ending?.pathChanged.map { "\($0)" } ?? "-")",
            ])
        if let ending { ended(ending) }
    }

    /// A session ended: the jobs sent on it that have not ended fail with the reason.
    func sessionEnded(agent: AgentID, channel: ObjectIdentifier) async {
        let orphans = dispatched.withLock { jobs in
            let ids = jobs.filter { $0.value.channel == channel }.map(\.key)
            for id in ids { jobs[id] = nil }
            return ids
        }
        guard !orphans.isEmpty else { return }
        do {
            try await client.withConnection(timeout: PostgresClient.callTimeout) { [logger] connection in
                _ = try await DiagnosticJobStore(logger: logger).fail(
                    orphans, reason: "agent \(agent) disconnected while the job ran", on: connection)
            }
        } catch {
            logger.error(
                "cannot fail the diagnostic jobs of a disconnected agent; they fail when silent",
                metadata: ["jobs": "\(orphans)", "error": "\(String(reflecting: error))"])
        }
    }
}
