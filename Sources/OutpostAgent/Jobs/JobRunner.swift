import Foundation
import Logging
import OutpostCore
import OutpostProbes
import OutpostWire

/// Runs the jobs the collector sends: discovery sweeps with the agent's ICMP and SNMP engines,
/// traceroute and MTR jobs through its ``DiagnosticJobRunner``.
///
/// Progress and the final JobResult go to the collector session attached at the time (they
/// are dropped while none is: the collector fails a job whose session ended). Each host found
/// goes into the agent's results as a ``DiscoveryFinding``, so it is spooled and delivered like
/// any result, also when the WAN is down. A JobCancel (or a second Job with the same id) stops
/// the sweep: no further request is sent and the job ends `cancelled`.
public actor JobRunner {
    /// Sends a message on the current session.
    public typealias Sender = @Sendable (Message) async -> Void

    private let sweeper: DiscoverySweeper
    private let diagnostics: DiagnosticJobRunner?
    private let findings: @Sendable (DiscoveryFinding) -> Void
    private let logger: Logger
    private var running: [UUID: Task<Void, Never>] = [:]
    private var sender: Sender?
    private var attachments: UInt64 = 0

    /// - Parameters:
    ///   - diagnostics: runs traceroute and MTR jobs (`nil`: they fail, e.g. without raw sockets).
    ///   - findings: where each host found goes (the agent's result stream).
    public init(
        sweeper: DiscoverySweeper, diagnostics: DiagnosticJobRunner? = nil, logger: Logger,
        findings: @escaping @Sendable (DiscoveryFinding) -> Void
    ) {
        self.sweeper = sweeper
        self.diagnostics = diagnostics
        self.findings = findings
        self.logger = logger
    }

    /// Jobs running now.
    public var runningJobs: Set<UUID> { Set(running.keys) }

    /// A session to the collector started: reports go to `sender` from now on. Returns the
    /// attachment to pass to ``detach(_:)``.
    public func attach(_ sender: @escaping Sender) -> UInt64 {
        self.sender = sender
        attachments += 1
        return attachments
    }

    /// The session of `attachment` ended: reports are dropped until the next one (unless a newer
    /// session is attached already). Jobs keep running, so their findings still reach the spool.
    public func detach(_ attachment: UInt64) {
        if attachment == attachments { sender = nil }
    }

    /// Starts a job; a job of a kind this agent does not run is answered `failed` at once.
    public func start(_ job: Job) async {
        if job.kind == .traceroute || job.kind == .mtr, let diagnostics {
            await diagnostics.start(job) { await self.send($0) }
            return
        }
        guard job.kind == .discovery else {
            await send(
                .jobResult(
                    JobResult(
                        jobID: job.id, outcome: .failed,
                        detail: "this agent does not run jobs of kind \(job.kind.rawValue)")))
            return
        }
        guard running[job.id] == nil else {
            logger.warning("discovery job already running; the repeated Job is ignored", metadata: ["job": "\(job.id)"])
            return
        }
        let sweep: AsyncStream<DiscoveryEvent>
        let total: Int
        let versions: [SNMPCredential.Version]
        do {
            let parameters = try DiscoveryJobParameters(decoding: job.parameters)
            versions = parameters.credentials.map(\.version)
            let targets = try DiscoveryTargets(include: parameters.include, exclude: parameters.exclude)
            total = targets.count
            sweep = try sweeper.sweep(targets, configuration: try Self.configuration(parameters))
        } catch {
            logger.error("discovery job refused", metadata: ["job": "\(job.id)", "error": "\(error)"])
            await send(
                .jobResult(JobResult(jobID: job.id, outcome: .failed, detail: "invalid discovery parameters: \(error)"))
            )
            return
        }
        logger.info("discovery job started", metadata: ["job": "\(job.id)", "hosts": "\(total)"])
        running[job.id] = Task { await self.run(job.id, sweep, versions: versions) }
    }

    /// Stops a running job; it reports `cancelled` once its sweep has stopped.
    public func cancel(_ request: JobCancel) async {
        guard let task = running[request.jobID] else {
            if await diagnostics?.cancel(request.jobID) == true {
                logger.info("diagnostic job cancelled", metadata: ["job": "\(request.jobID)"])
                return
            }
            logger.info("cancellation of a job that is not running ignored", metadata: ["job": "\(request.jobID)"])
            return
        }
        logger.info(
            "discovery job cancelled", metadata: ["job": "\(request.jobID)", "reason": "\(request.reason ?? "-")"])
        task.cancel()
    }

    private func run(_ job: UUID, _ sweep: AsyncStream<DiscoveryEvent>, versions: [SNMPCredential.Version]) async {
        var outcome: JobResult?
        for await event in sweep {
            switch event {
            case .progress(let progress):
                await send(
                    .jobProgress(
                        JobProgress(
                            jobID: job, completedUnits: UInt64(progress.scanned), totalUnits: UInt64(progress.total),
                            detail:
                                "\(progress.responded) responded, \(progress.identified) identified, \(progress.failed) failed"
                        )))
            case .hostFound(let host):
                findings(Self.finding(host, job: job, versions: versions))
            case .finished(let summary):
                let payload = (try? Self.summary(summary).encoded()) ?? []
                outcome = JobResult(
                    jobID: job, outcome: .succeeded, payload: payload,
                    detail: "\(summary.progress.responded) of \(summary.progress.total) hosts responded")
            }
        }
        running[job] = nil
        let result =
            outcome ?? JobResult(jobID: job, outcome: .cancelled, detail: "cancelled on request; the sweep stopped")
        logger.info("discovery job ended", metadata: ["job": "\(job)", "outcome": "\(result.outcome)"])
        // From a task of its own: this one is cancelled after a JobCancel, and a cancelled
        // task's write to the session would be refused.
        await Task { await self.send(.jobResult(result)) }.value
    }

    private func send(_ message: Message) async {
        await sender?(message)
    }

    /// The sweep settings of a job's parameters.
    static func configuration(_ parameters: DiscoveryJobParameters) throws -> DiscoveryConfiguration {
        let timeout = Duration.milliseconds(parameters.timeoutMilliseconds)
        return DiscoveryConfiguration(
            concurrency: parameters.concurrency, icmpTimeout: timeout,
            snmpProbing: parameters.snmp ? (parameters.snmpAllHosts ? .allHosts : .respondersOnly) : .disabled,
            credentials: try parameters.credentials.map { credential throws in try SNMPSecurity(credential) },
            snmpPort: parameters.snmpPort, snmpTimeout: timeout)
    }

    /// The finding of a host; `versions` are the SNMP versions of the job's candidate credentials.
    static func finding(_ host: DiscoveredHost, job: UUID, versions: [SNMPCredential.Version]) -> DiscoveryFinding {
        let version = host.system.flatMap {
            versions.indices.contains($0.credentialIndex) ? versions[$0.credentialIndex] : nil
        }
        return DiscoveryFinding(
            jobID: job, address: host.address, respondsToICMP: host.respondsToICMP,
            rttMilliseconds: host.rttMilliseconds,
            snmpVersion: version, sysDescr: host.system?.sysDescr, sysObjectID: host.system?.sysObjectID,
            sysName: host.system?.sysName,
            sysLocation: host.system?.sysLocation, macAddress: host.macAddress, vendor: host.vendor?.description,
            deviceType: host.deviceType.rawValue)
    }

    static func summary(_ summary: DiscoverySummary) -> DiscoveryJobSummary {
        let duration =
            Double(summary.duration.components.seconds) + Double(summary.duration.components.attoseconds) / 1e18
        return DiscoveryJobSummary(
            total: summary.progress.total, scanned: summary.progress.scanned, responded: summary.progress.responded,
            identified: summary.progress.identified, failed: summary.progress.failed, durationSeconds: duration)
    }
}
