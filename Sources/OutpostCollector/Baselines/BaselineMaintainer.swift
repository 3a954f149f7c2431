import Foundation
import Logging
import OutpostStore
import PostgresNIO
import ServiceLifecycle

/// The daily baseline job (docs/architecture.md, "Schema decisions"): every `period` it takes the
/// steps of ``BaselineWriter`` that are due (after a day ends: one; at the first start, or after
/// more than a week off: one full recomputation; a few days behind: one per day), logging each.
/// Several collectors may run it: one computes at a time, the others find the work done.
public struct BaselineMaintainer: Service {
    private let client: PostgresClient
    private let writer: BaselineWriter
    private let period: Duration
    private let logger: Logger

    /// Limit of one step (one transaction).
    static let stepTimeout: Duration = .seconds(600)

    /// - Parameters:
    ///   - writer: how baselines are learned and when a day is complete.
    ///   - period: pause between checks for a due step.
    public init(client: PostgresClient, writer: BaselineWriter, period: Duration = .seconds(600), logger: Logger) {
        self.client = client
        self.writer = writer
        self.period = period
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                _ = try await catchUp()
            } catch {
                // The progress row did not move: the next check takes the same step again.
                logger.error("baseline job failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: period) }
        }
    }

    /// Takes every step due at `now` (until up to date, or another collector holds the lock, or
    /// shutdown begins), logging each; returns them.
    @discardableResult
    public func catchUp(now: @Sendable () -> Date = { Date() }) async throws -> [BaselineStep] {
        var steps: [BaselineStep] = []
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let moment = now()
            let writer = self.writer
            let started = ContinuousClock.now
            let step = try await client.withConnection(timeout: Self.stepTimeout) { connection in
                try await writer.step(now: moment, on: connection)
            }
            steps.append(step)
            guard step.didWork else { break }
            let elapsed = ContinuousClock.now - started
            logger.notice(
                "baselines computed",
                metadata: [
                    "kind": "\(step.kind)",
                    "through": "\(step.computedThrough.map { "\($0)" } ?? "-")",
                    "hours_of_week": "\(step.hours)", "devices": "\(step.devices)", "items": "\(step.items)",
                    "rollup_rows": "\(step.rollupRows)", "baseline_rows": "\(step.baselineRows)",
                    "elapsed_ms":
                        "\(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)",
                ])
        }
        return steps
    }
}
