import Foundation
import Logging
import OutpostCore
import OutpostStore
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Evaluates `alert_rules` against what ingest commits and records alert episodes in
/// `alert_history`, notifying webhooks on firing and on resolution.
///
/// The ingest pipeline hands committed batches to ``observe(_:)``, which only queues them in a
/// bounded buffer (dropping and counting when full), so a slow engine never stalls ingest. The
/// engine keeps per-device windows of rule variables in memory (see `DeviceWindows`), evaluates
/// the rules in scope of each device a batch touched, and moves each (rule, device) pair between
/// ok and firing: one `alert_history` row per episode, inserted when the rule becomes true and
/// resolved when it becomes false (unknown changes nothing). Open episodes are loaded at start,
/// so a restarted collector resolves them instead of opening a second one. Rules are reloaded
/// when `alert_rules` changes (NOTIFY) and every `reloadInterval`; a rule that does not parse is
/// logged with its position and skipped.
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

        public init() {}
    }

    private let client: PostgresClient
    private let configuration: Configuration
    private let logger: Logger
    private let store: AlertRuleStore
    private let notifier: WebhookNotifier
    private let commits: AsyncStream<[IngestBatch]>
    private let continuation: AsyncStream<[IngestBatch]>.Continuation
    private let dropped = Atomic(0)
    private let evaluated = Atomic(0)
    private let ruleSet = Mutex(AlertRuleSet())
    /// Rejected rules already logged, by id and expression: each is logged once, not at every reload.
    private let reportedRejections = Mutex(Set<String>())

    /// An engine reading and writing through `client` (which must be running).
    public init(client: PostgresClient, configuration: Configuration = .init(), logger: Logger) {
        self.client = client
        self.configuration = configuration
        self.logger = logger
        store = AlertRuleStore(logger: logger)
        notifier = WebhookNotifier(
            configuration: .init(maxAttempts: configuration.webhookAttempts, initialBackoff: configuration.webhookBackoff,
                                 requestTimeout: configuration.webhookTimeout),
            store: store, logger: logger)
        (commits, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingOldest(configuration.bufferedCommits))
    }

    /// Queues committed batches for evaluation; never waits (pass it as the pipeline's `committed`).
    public func observe(_ batches: [IngestBatch]) {
        if case .dropped = continuation.yield(batches) {
            let count = dropped.add(1, ordering: .relaxed).newValue
            if count.nonzeroBitCount == 1 {  // 1, 2, 4, 8…: visible without flooding the log
                logger.warning("alert engine behind; committed batches dropped from evaluation", metadata: ["dropped_total": "\(count)"])
            }
        }
    }

    /// Groups of committed batches dropped because the engine was behind.
    public var droppedCommits: Int { dropped.load(ordering: .relaxed) }

    /// Groups of committed batches evaluated so far.
    public var evaluatedCommits: Int { evaluated.load(ordering: .acquiring) }

    /// Loads rules and open alerts, then evaluates committed batches until shutdown.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.notifier.run(client: self.client) }
                var evaluator = await self.start()
                group.addTask { await self.reloadPeriodically() }
                group.addTask { await self.reloadOnChange() }
                for await batches in self.commits {
                    evaluator.use(self.ruleSet.withLock { $0 })
                    await evaluator.evaluate(batches)
                    self.evaluated.add(1, ordering: .releasing)
                }
                group.cancelAll()
            }
        }
    }

    /// Loads rules and open episodes, retrying while the database is unavailable.
    private func start() async -> AlertEvaluator {
        var delay = Duration.milliseconds(500)
        while !Task.isCancelled {
            do {
                try await reload()
                let open = try await client.withConnection { try await self.store.openAlerts(on: $0) }
                logger.info("alert engine started", metadata: [
                    "rules": "\(ruleSet.withLock { $0.rules.count })", "open_alerts": "\(open.count)",
                ])
                return AlertEvaluator(client: client, store: store, notifier: notifier, logger: logger, open: open)
            } catch {
                logger.error("alert engine cannot load its state; retrying", metadata: ["error": "\(String(reflecting: error))"])
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(30))
            }
        }
        return AlertEvaluator(client: client, store: store, notifier: notifier, logger: logger, open: [])
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

    /// Reloads the rules whenever `alert_rules` changes (its trigger notifies `changeChannel`).
    private func reloadOnChange() async {
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: AlertRuleStore.changeChannel) { notifications in
                        for try await _ in notifications { try await self.reload() }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("alert rules listener failed; reconnecting", metadata: ["error": "\(String(reflecting: error))"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Reads the enabled rules; logs each one that does not parse, with its position.
    private func reload() async throws {
        let (rules, rejected) = try await client.withConnection { try await self.store.loadRules(on: $0) }
        let unreported = reportedRejections.withLock { reported in
            rejected.filter { reported.insert("\($0.record.id) \($0.record.expression)").inserted }
        }
        for refused in unreported {
            logger.error("alert rule skipped: its expression does not parse", metadata: [
                "rule": "\(refused.record.id)", "name": "\(refused.record.name)", "expression": "\(refused.record.expression)",
                "error": "\(refused.error)", "offset": "\(refused.error.offset)",
            ])
        }
        ruleSet.withLock { $0 = AlertRuleSet(rules, generation: $0.generation + 1) }
    }
}
