import Foundation
import Logging
import OutpostCore
import OutpostStore
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Evaluates `alert_rules` against what ingest commits and records alert episodes in
/// `alert_history`, notifying webhooks and e-mail recipients.
///
/// The ingest pipeline hands committed batches to ``observe(_:)``, which only queues them in a
/// bounded buffer (dropping and counting when full), so a slow engine never stalls ingest; the
/// diagnostics dispatcher hands it the traces that completed (``observe(trace:)``, the variable
/// `path_changed`) the same way. The
/// engine keeps per-device windows of rule variables in memory (see `DeviceWindows`), evaluates
/// the rules in scope of each device a batch touched, and moves each (rule, device) pair through
/// ok → pending (`FOR` duration) → firing → ok: one `alert_history` row per episode, inserted when
/// it fires and resolved when the rule becomes false (unknown changes nothing). A pair whose
/// state changes too often is flapping (`FlapDetector`): one `flapping` row and no notifications
/// until it settles. A device whose branch's edge router is down records its alerts as
/// suppressed by the router's alert, without notifying. With several collectors, a branch's
/// devices are evaluated only by the collector holding the branch's lease (`alert_leases`),
/// which reads the branch's open alerts when it takes the lease, so a restarted or replacing
/// collector continues episodes instead of opening second ones. Rules are reloaded when
/// `alert_rules` changes (NOTIFY), when its listener listens again after losing its connection,
/// and every `reloadInterval`; every database call has a time limit; a rule that does not parse is
/// logged with its position and skipped. A device in an open maintenance window (read the same
/// way, see `MaintenanceWatcher`) has its alerts recorded with `in_maintenance` and notifies nobody.
/// A rule with a `trace` action has the device traced when its alert fires (docs/architecture.md).
public final class AlertEngine: Service, Sendable {
    /// Tuning of the engine.
    public struct Configuration: Sendable {
        /// How often rules are read again from `alert_rules`.
        public var reloadInterval: Duration = .seconds(30)
        /// Committed batch groups waiting for evaluation; more are dropped and counted.
        public var bufferedCommits = 1_024
        /// Webhook attempts per notification, the first included.
        public var webhookAttempts = 5
        /// Wait before the second webhook attempt, doubled for each further one.
        public var webhookBackoff: Duration = .seconds(1)
        /// One webhook request is abandoned after this many seconds.
        public var webhookTimeout: TimeInterval = 10
        /// The SMTP server for rules with an e-mail channel.
        public var smtp: SMTPConfiguration?
        /// States kept per (rule, device) for flap detection (at least 3).
        public var flapWindow = 21
        /// A pair starts flapping above this weighted state-change percentage.
        public var flapStartPercent = 50.0
        /// A flapping pair stops flapping below this percentage (lower: hysteresis).
        public var flapStopPercent = 30.0
        /// This engine's name in `alert_leases`: one per running collector. The host name by
        /// default, so a collector restarted on its host takes its branches back at once (one on
        /// another host waits for the leases to expire); collectors sharing a host need their own.
        public var instanceName = ProcessInfo.processInfo.hostName
        /// How long a lease on a branch lasts unless renewed; another collector takes it over after that.
        public var leaseDuration: Duration = .seconds(30)
        /// How often maintenance windows are read again (besides when one is created or ended).
        public var maintenanceRefreshInterval: Duration = .seconds(10)
        /// Rate limit of the traces of rules with a `trace` action, shared with the traces of
        /// devices going down (``DiagnosticsDispatcher/Configuration/downTraceLimits``).
        public var traceLimits = DiagnosticJobStore.DownTraceLimits()

        public init() {}
    }

    private let client: PostgresClient
    private let configuration: Configuration
    private let logger: Logger
    private let store: AlertRuleStore
    private let notifier: AlertNotifier
    private let maintenance: MaintenanceWatcher
    private let flapping: FlapDetector.Configuration
    /// What the engine evaluates: committed batches, or traces that ended.
    private enum Input: Sendable {
        case commit([IngestBatch])
        case trace(DiagnosticJobEnding)
    }

    private let commits: AsyncStream<Input>
    private let continuation: AsyncStream<Input>.Continuation
    private let dropped = Atomic(0)
    private let evaluated = Atomic(0)
    private let evaluatedTraceCount = Atomic(0)
    private let ruleSet = Mutex(AlertRuleSet())
    /// Rejected rules already logged, by id and expression: each is logged once, not at every reload.
    private let reportedRejections = Mutex(Set<String>())

    /// Flap thresholds out of range (see `FlapDetector.Configuration`).
    public struct InvalidFlapThresholds: Error, CustomStringConvertible {
        public let description: String
    }

    /// An engine reading and writing through `client` (which must be running).
    /// - Throws: `InvalidFlapThresholds` unless 3 ≤ window ≤ 1000 and 0 ≤ stop < start ≤ 100.
    public init(client: PostgresClient, configuration: Configuration = .init(), logger: Logger) throws {
        guard
            let flapping = FlapDetector.Configuration(
                windowSize: configuration.flapWindow, startPercent: configuration.flapStartPercent,
                stopPercent: configuration.flapStopPercent)
        else {
            throw InvalidFlapThresholds(
                description: """
                    flap detection needs 3 to 1000 states and 0 <= stop < start <= 100 percent; got \(configuration.flapWindow) states, \
                    start \(configuration.flapStartPercent), stop \(configuration.flapStopPercent)
                    """)
        }
        self.client = client
        self.configuration = configuration
        self.flapping = flapping
        self.logger = logger
        store = AlertRuleStore(logger: logger)
        notifier = AlertNotifier(
            configuration: .init(
                maxAttempts: configuration.webhookAttempts, initialBackoff: configuration.webhookBackoff,
                requestTimeout: configuration.webhookTimeout, smtp: configuration.smtp),
            store: store, logger: logger)
        maintenance = MaintenanceWatcher(
            client: client, refreshInterval: configuration.maintenanceRefreshInterval, logger: logger)
        (commits, continuation) = AsyncStream.makeStream(
            bufferingPolicy: .bufferingOldest(configuration.bufferedCommits))
    }

    /// Queues committed batches for evaluation; never waits (pass it as the pipeline's `committed`).
    public func observe(_ batches: [IngestBatch]) {
        enqueue(.commit(batches))
    }

    /// Queues a trace that ended for evaluation (its `path_changed` sample); never waits (pass it
    /// as the diagnostics dispatcher's `ended`). Endings other than completed are ignored.
    public func observe(trace ending: DiagnosticJobEnding) {
        guard ending.tracedPath else { return }
        enqueue(.trace(ending))
    }

    private func enqueue(_ input: Input) {
        if case .dropped = continuation.yield(input) {
            let count = dropped.add(1, ordering: .relaxed).newValue
            if count.nonzeroBitCount == 1 {  // 1, 2, 4, 8…: visible without flooding the log
                logger.warning(
                    "alert engine behind; committed batches dropped from evaluation",
                    metadata: ["dropped_total": "\(count)"])
            }
        }
    }

    /// Groups of committed batches (and trace endings) dropped because the engine was behind.
    public var droppedCommits: Int { dropped.load(ordering: .relaxed) }

    /// Groups of committed batches evaluated so far.
    public var evaluatedCommits: Int { evaluated.load(ordering: .acquiring) }

    /// Completed traces evaluated so far.
    public var evaluatedTraces: Int { evaluatedTraceCount.load(ordering: .acquiring) }

    /// The maintenance window the engine knows to cover `device` at `time`, if any.
    public func maintenanceWindow(covering device: UUID, at time: Date) -> UUID? {
        maintenance.coverage.window(covering: device, at: time)
    }

    /// Loads rules and open alerts, then evaluates committed batches until shutdown.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.notifier.run(client: self.client) }
                group.addTask { await self.maintenance.run() }
                var evaluator = await self.start()
                group.addTask { await self.reloadPeriodically() }
                group.addTask { await self.reloadOnChange() }
                for await input in self.commits {
                    evaluator.use(self.ruleSet.withLock { $0 })
                    evaluator.maintenance = self.maintenance.coverage
                    switch input {
                    case .commit(let batches):
                        await evaluator.evaluate(batches)
                        self.evaluated.add(1, ordering: .releasing)
                    case .trace(let ending):
                        await evaluator.evaluate(ending)
                        self.evaluatedTraceCount.add(1, ordering: .releasing)
                    }
                }
                group.cancelAll()
            }
        }
    }

    /// Loads the rules, retrying while the database is unavailable, then the maintenance
    /// windows (open episodes are read per branch when its lease is taken).
    private func start() async -> AlertEvaluator {
        var delay = Duration.milliseconds(500)
        while !Task.isCancelled {
            do {
                try await reload()
                logger.info(
                    "alert engine started",
                    metadata: [
                        "rules": "\(ruleSet.withLock { $0.rules.count })", "instance": "\(configuration.instanceName)",
                    ])
                break
            } catch {
                logger.error(
                    "alert engine cannot load its rules; retrying", metadata: ["error": "\(String(reflecting: error))"])
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(30))
            }
        }
        await maintenance.load()  // before the first evaluation: a window in force pages nobody
        return AlertEvaluator(
            client: client, store: store, notifier: notifier, flapping: flapping,
            leases: AlertLeases(
                owner: configuration.instanceName, duration: configuration.leaseDuration, logger: logger),
            traceLimits: configuration.traceLimits, logger: logger)
    }

    private func reloadPeriodically() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: configuration.reloadInterval)
                try await reload()
            } catch is CancellationError {
                return
            } catch {
                logger.error("alert rules reload failed", metadata: ["error": "\(String(reflecting: error))"])
            }
        }
    }

    /// Reloads the rules whenever `alert_rules` changes (its trigger notifies `changeChannel`),
    /// and each time the listener (re)starts listening: a change made while it was not
    /// listening was never announced to it.
    private func reloadOnChange() async {
        let listener = PostgresChannelListener(client: client, channel: AlertRuleStore.changeChannel, logger: logger)
        await listener.run(
            listening: { try await self.reload() },
            received: { _ in
                do {
                    try await self.reload()
                } catch {
                    self.logger.error("alert rules reload failed", metadata: ["error": "\(String(reflecting: error))"])
                }
            })
    }

    /// Reads the enabled rules; logs each one that does not parse, with its position.
    private func reload() async throws {
        let (rules, rejected) = try await client.withConnection(timeout: PostgresClient.callTimeout) {
            try await self.store.loadRules(on: $0)
        }
        let unreported = reportedRejections.withLock { reported in
            rejected.filter { reported.insert("\($0.record.id) \($0.record.expression)").inserted }
        }
        for refused in unreported {
            logger.error(
                "alert rule skipped: its expression does not parse",
                metadata: [
                    "rule": "\(refused.record.id)", "name": "\(refused.record.name)",
                    "expression": "\(refused.record.expression)",
                    "error": "\(refused.error)", "offset": "\(refused.error.offset)",
                ])
        }
        ruleSet.withLock { $0 = AlertRuleSet(rules, generation: $0.generation + 1) }
    }
}
