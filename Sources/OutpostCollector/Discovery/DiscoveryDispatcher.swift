import Foundation
import Logging
import NIOCore
import OutpostCore
import OutpostPKI
import OutpostRules
import OutpostStore
import OutpostWire
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Runs discovery on the collector side: creates scheduled jobs, dispatches pending jobs to the
/// connected agent that sweeps their rule, records what the agents report, sends JobCancel
/// when a cancellation is requested, and fails a job whose agent went away so no job stays
/// `running` for ever.
///
/// Several collectors may run dispatchers on one database: scheduled jobs are unique per rule
/// and slot, and jobs are claimed with `FOR UPDATE SKIP LOCKED`, so each is dispatched once.
public final class DiscoveryDispatcher: Service, Sendable {
    /// Dispatcher tuning.
    public struct Configuration: Sendable {
        /// How often pending jobs, cancellations and schedules are checked (a connecting agent
        /// or a new job also wakes the dispatcher at once).
        public var pollInterval: Duration = .seconds(1)
        /// A dispatched or running job with no report for this long is failed (its collector
        /// died, so no session end failed it).
        public var silentJobTimeoutSeconds = 600

        public init() {}
    }

    /// A job this collector sent, and the session it went out on.
    private struct Dispatched {
        let agent: AgentID
        let channel: ObjectIdentifier
    }

    private let client: PostgresClient
    private let registry: SessionRegistry
    private let masterKey: MasterKey?
    private let configuration: Configuration
    private let logger: Logger
    private let dispatched = Mutex<[UUID: Dispatched]>([:])
    /// The last minute whose scheduled jobs were created.
    private let scheduledMinute = Mutex<Date?>(nil)
    private let wakeUps: AsyncStream<Void>
    private let wakeUp: AsyncStream<Void>.Continuation

    /// - Parameters:
    ///   - registry: the sessions jobs are sent on; share it with the ``AgentSessionContext``.
    ///   - masterKey: opens the rules' candidate credentials (`nil`: SNMP rules fail with a clear error).
    public init(
        client: PostgresClient, registry: SessionRegistry, masterKey: MasterKey?,
        configuration: Configuration = .init(), logger: Logger
    ) {
        self.client = client
        self.registry = registry
        self.masterKey = masterKey
        self.configuration = configuration
        self.logger = logger
        (wakeUps, wakeUp) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Checks at once instead of at the next poll (an agent connected, a job was created).
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
        let scheduler = DiscoveryScheduler(logger: logger)
        await withGracefulShutdownHandler {
            for await _ in wakeUps.cancelOnGracefulShutdown() {
                do {
                    try await client.withConnection(timeout: PostgresClient.callTimeout) { connection in
                        let minute = CronSchedule.minuteStart(of: Date())
                        if self.scheduledMinute.withLock({ $0 }) != minute {
                            try await scheduler.createDueJobs(now: minute, on: connection)
                            self.scheduledMinute.withLock { $0 = minute }
                        }
                        try await self.dispatchPending(on: connection)
                        try await self.forwardCancellations(on: connection)
                        try await self.failSilentJobs(on: connection)
                    }
                } catch {
                    logger.error(
                        "discovery dispatch round failed; retrying", metadata: ["error": "\(String(reflecting: error))"]
                    )
                }
            }
        } onGracefulShutdown: { [wakeUp] in
            wakeUp.finish()
        }
    }

    // MARK: Dispatch

    private func dispatchPending(on connection: PostgresConnection) async throws {
        let jobs = DiscoveryJobStore(logger: logger)
        let connected = registry.welcomedAgents
        for claimed in try await jobs.claimPending(for: connected, on: connection) {
            let agent = AgentID(claimed.agentID)
            let job: Job
            do {
                job = Job(
                    id: claimed.jobID, kind: .discovery,
                    parameters: try await parameters(for: claimed.rule, on: connection).encoded())
            } catch {
                try await jobs.fail([claimed.jobID], reason: "cannot prepare the job: \(error)", on: connection)
                logger.error(
                    "discovery job failed before dispatch", metadata: ["job": "\(claimed.jobID)", "error": "\(error)"])
                continue
            }
            guard let channel = registry.channel(of: agent) else {
                try await jobs.returnToPending(
                    claimed.jobID, reason: "agent \(agent) disconnected before dispatch", on: connection)
                continue
            }
            dispatched.withLock { $0[claimed.jobID] = Dispatched(agent: agent, channel: ObjectIdentifier(channel)) }
            do {
                try await channel.writeAndFlush(Message.job(job)).get()
                logger.info(
                    "discovery job dispatched",
                    metadata: ["job": "\(claimed.jobID)", "rule": "\(claimed.rule.name)", "agent": "\(agent)"])
            } catch {
                dispatched.withLock { $0[claimed.jobID] = nil }
                try await jobs.returnToPending(
                    claimed.jobID, reason: "sending the job to agent \(agent) failed: \(error)", on: connection)
            }
        }
    }

    /// The parameters of a rule's job, its candidate credentials opened.
    private func parameters(for rule: DiscoveryRuleRecord, on connection: PostgresConnection) async throws
        -> DiscoveryJobParameters
    {
        var credentials: [SNMPCredential] = []
        if rule.snmp {
            guard let masterKey else {
                throw DiscoveryDispatchError("the collector has no master key to open the rule's SNMP credentials")
            }
            for record in try await DiscoveryRuleStore(logger: logger).credentials(rule.credentialIDs, on: connection) {
                credentials.append(try masterKey.open(record))
            }
            guard !credentials.isEmpty else {
                throw DiscoveryDispatchError("none of the rule's candidate credentials is an SNMP credential")
            }
        }
        return DiscoveryJobParameters(
            include: rule.ranges, exclude: rule.exclusions, snmp: rule.snmp, credentials: credentials,
            snmpPort: UInt16(rule.snmpPort))
    }

    private func forwardCancellations(on connection: PostgresConnection) async throws {
        let mine = dispatched.withLock { Array($0.keys) }
        for job in try await DiscoveryJobStore(logger: logger).cancelRequested(among: mine, on: connection) {
            guard let target = dispatched.withLock({ $0[job] }), let channel = registry.channel(of: target.agent) else {
                continue
            }
            channel.writeAndFlush(
                Message.jobCancel(JobCancel(jobID: job, reason: "cancelled by an operator")), promise: nil)
            logger.info("discovery job cancellation sent", metadata: ["job": "\(job)", "agent": "\(target.agent)"])
        }
    }

    private func failSilentJobs(on connection: PostgresConnection) async throws {
        let failed = try await DiscoveryJobStore(logger: logger).failSilent(
            olderThan: configuration.silentJobTimeoutSeconds, on: connection)
        if !failed.isEmpty {
            dispatched.withLock { jobs in for id in failed { jobs[id] = nil } }
            logger.warning("silent discovery jobs failed", metadata: ["jobs": "\(failed)"])
        }
    }

    // MARK: Session reports

    /// Records a JobProgress of `agent`.
    func progress(_ progress: JobProgress, from agent: AgentID, on connection: PostgresConnection) async throws {
        let recorded = try await DiscoveryJobStore(logger: logger).recordProgress(
            progress.jobID, agent: agent, scanned: Int(clamping: progress.completedUnits),
            total: progress.totalUnits.map { Int(clamping: $0) },
            on: connection)
        if !recorded {
            logger.debug(
                "progress for a job that is not running on this agent ignored", metadata: ["job": "\(progress.jobID)"])
        }
    }

    /// Ends a job as `agent` reported it.
    func result(_ result: JobResult, from agent: AgentID, on connection: PostgresConnection) async throws {
        dispatched.withLock { $0[result.jobID] = nil }
        let status: DiscoveryJobRecord.Status =
            switch result.outcome {
            case .succeeded: .completed
            case .failed: .failed
            case .cancelled: .cancelled
            }
        let summary = result.payload.isEmpty ? nil : try? DiscoveryJobSummary(decoding: result.payload)
        let ended = try await DiscoveryJobStore(logger: logger).finish(
            result.jobID, agent: agent, status: status, summary: summary,
            detail: result.detail, on: connection)
        logger.info(
            "discovery job ended",
            metadata: ["job": "\(result.jobID)", "status": "\(status.rawValue)", "recorded": "\(ended)"])
    }

    /// Writes the findings of a batch of `agent`.
    func findings(_ payloads: [[UInt8]], from agent: AgentID, on connection: PostgresConnection) async throws {
        var findings: [DiscoveryFinding] = []
        for payload in payloads {
            do {
                findings.append(try DiscoveryFinding(decoding: payload))
            } catch {
                logger.warning(
                    "unreadable discovery finding skipped", metadata: ["agent": "\(agent)", "error": "\(error)"])
            }
        }
        guard !findings.isEmpty else { return }
        let outcome = try await DiscoveryResultWriter(logger: logger).write(findings, from: agent, on: connection)
        logger.debug(
            "discovery findings written",
            metadata: ["written": "\(outcome.written)", "imported": "\(outcome.imported)"])
    }

    /// A session ended: the jobs sent on it that have not ended fail with a clear reason (the
    /// agent keeps sweeping and its spooled findings still arrive; an operator runs the rule again).
    func sessionEnded(agent: AgentID, channel: ObjectIdentifier) async {
        let orphans = dispatched.withLock { jobs in
            let ids = jobs.filter { $0.value.channel == channel }.map(\.key)
            for id in ids { jobs[id] = nil }
            return ids
        }
        guard !orphans.isEmpty else { return }
        do {
            let failed = try await client.withConnection(timeout: PostgresClient.callTimeout) { [logger] connection in
                try await DiscoveryJobStore(logger: logger).fail(
                    orphans,
                    reason:
                        "agent \(agent) disconnected while the job ran; findings already sent are kept, run the rule again",
                    on: connection)
            }
            logger.warning(
                "discovery jobs failed: their agent disconnected", metadata: ["jobs": "\(failed)", "agent": "\(agent)"])
        } catch {
            logger.error(
                "cannot fail the jobs of a disconnected agent; they fail when silent",
                metadata: ["jobs": "\(orphans)", "error": "\(String(reflecting: error))"])
        }
    }
}

/// A job could not be prepared for dispatch.
struct DiscoveryDispatchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
