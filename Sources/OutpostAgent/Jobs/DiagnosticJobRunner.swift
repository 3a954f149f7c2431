import Foundation
import Logging
import OutpostCore
import OutpostProbes
import OutpostWire

/// Runs traceroute and MTR jobs with the agent's ``TraceEngine`` and reports them through the
/// ``JobRunner`` that received them: a JobProgress when the job starts and after each MTR cycle,
/// then a JobResult whose payload is the ``DiagnosticReport``. A cancelled job stops probing
/// and ends `cancelled`. At most ``maximumRunning`` jobs run at once; more fail at once.
public actor DiagnosticJobRunner {
    /// Sends a message on the current session.
    public typealias Sender = @Sendable (Message) async -> Void

    /// Jobs run at once; the collector rate-limits what it sends, this bounds a misbehaving one.
    public static let maximumRunning = 64
    /// How long reverse DNS of a trace's hops may take.
    static let nameDeadline = Duration.seconds(2)

    private let engine: TraceEngine
    private let logger: Logger
    private var running: [UUID: Task<Void, Never>] = [:]

    /// - Parameter engine: the agent's trace engine (needs raw sockets).
    public init(engine: TraceEngine, logger: Logger) {
        self.engine = engine
        self.logger = logger
    }

    /// Jobs running now.
    public var runningJobs: Set<UUID> { Set(running.keys) }

    /// Starts a traceroute or MTR job; invalid parameters or too many jobs fail it at once.
    func start(_ job: Job, send: @escaping Sender) async {
        guard running[job.id] == nil else {
            logger.warning(
                "diagnostic job already running; the repeated Job is ignored", metadata: ["job": "\(job.id)"])
            return
        }
        guard running.count < Self.maximumRunning else {
            await send(
                .jobResult(
                    JobResult(
                        jobID: job.id, outcome: .failed,
                        detail: "the agent runs \(Self.maximumRunning) diagnostic jobs already")))
            return
        }
        let parameters: DiagnosticJobParameters
        let configuration: TraceConfiguration
        do {
            parameters = try DiagnosticJobParameters(decoding: job.parameters)
            configuration = try Self.configuration(parameters)
        } catch {
            logger.error("diagnostic job refused", metadata: ["job": "\(job.id)", "error": "\(error)"])
            await send(
                .jobResult(
                    JobResult(jobID: job.id, outcome: .failed, detail: "invalid diagnostic parameters: \(error)")))
            return
        }
        let isMTR = job.kind == .mtr
        logger.info(
            "diagnostic job started",
            metadata: ["job": "\(job.id)", "kind": "\(isMTR ? "mtr" : "traceroute")", "target": "\(parameters.target)"])
        running[job.id] = Task {
            let result = await Self.run(
                job.id, parameters, configuration, isMTR: isMTR, engine: engine, send: send)
            await self.finished(job.id, result, send: send)
        }
    }

    /// Stops a running job; returns `false` when it is not one of this runner's.
    func cancel(_ job: UUID) -> Bool {
        guard let task = running[job] else { return false }
        task.cancel()
        return true
    }

    private func finished(_ job: UUID, _ result: JobResult, send: @escaping Sender) async {
        running[job] = nil
        logger.info("diagnostic job ended", metadata: ["job": "\(job)", "outcome": "\(result.outcome)"])
        // From a task of its own: the job's task may be cancelled, and its writes refused.
        await Task { await send(.jobResult(result)) }.value
    }

    private static func run(
        _ job: UUID, _ parameters: DiagnosticJobParameters, _ configuration: TraceConfiguration, isMTR: Bool,
        engine: TraceEngine, send: @escaping Sender
    ) async -> JobResult {
        let cycles = isMTR ? parameters.cycles : 1
        await send(
            .jobProgress(JobProgress(jobID: job, completedUnits: 0, totalUnits: UInt64(cycles), detail: "started")))
        var statistics: PathStatistics
        do {
            if isMTR {
                statistics = try await engine.mtr(
                    to: parameters.target, configuration: configuration, cycles: cycles,
                    interval: .milliseconds(parameters.intervalMilliseconds)
                ) { done in
                    await send(
                        .jobProgress(
                            JobProgress(
                                jobID: job, completedUnits: UInt64(done), totalUnits: UInt64(cycles),
                                detail: "cycle \(done) of \(cycles)")))
                }
            } else {
                let result = try await engine.trace(to: parameters.target, configuration: configuration)
                statistics = PathStatistics(target: result.target, probeProtocol: result.probeProtocol)
                statistics.add(result)
            }
        } catch {
            return JobResult(jobID: job, outcome: .failed, detail: "\(error)")
        }
        if Task.isCancelled {
            return JobResult(jobID: job, outcome: .cancelled, detail: "cancelled on request; probing stopped")
        }
        var report = statistics.report(keepRTTs: !isMTR)
        if parameters.resolveNames {
            let names = await ReverseDNS.names(of: report.hops.compactMap(\.responder), deadline: nameDeadline)
            report = statistics.report(keepRTTs: !isMTR, hostnames: names)
        }
        do {
            return JobResult(
                jobID: job, outcome: .succeeded, payload: try report.encoded(),
                detail: "\(report.hops.count) hops, \(report.ending)")
        } catch {
            return JobResult(jobID: job, outcome: .failed, detail: "cannot encode the report: \(error)")
        }
    }

    /// The trace settings of a job's parameters.
    static func configuration(_ parameters: DiagnosticJobParameters) throws -> TraceConfiguration {
        guard let probe = TraceConfiguration.ProbeProtocol(rawValue: parameters.probeProtocol) else {
            throw TraceError.invalidConfiguration("unknown protocol \(parameters.probeProtocol.prefix(16))")
        }
        guard DiagnosticJobParameters.cyclesRange.contains(parameters.cycles),
            (100...10_000).contains(parameters.intervalMilliseconds)
        else {
            throw TraceError.invalidConfiguration("cycles or interval out of range")
        }
        return try TraceConfiguration(
            probeProtocol: probe, maxHops: parameters.maxHops, probesPerHop: parameters.probesPerHop,
            probeTimeout: .milliseconds(parameters.timeoutMilliseconds), port: parameters.port)
    }
}
