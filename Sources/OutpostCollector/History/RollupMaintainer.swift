import Foundation
import Logging
import OutpostStore
import PostgresNIO
import ServiceLifecycle

/// Rolls the raw history up into one-minute and one-hour buckets every `period` (see
/// ``RollupWriter`` and docs/architecture.md, "Schema decisions"). Each pass takes chunks until
/// one comes back short: a backlog (after an outage, or a spool replayed hours late) is worked
/// off at once, with its progress logged. Several collectors may run it: one writes at a time.
public struct RollupMaintainer: Service {
    private let client: PostgresClient
    private let writer: RollupWriter
    private let period: Duration
    private let logger: Logger

    /// A pass logs its progress once the backlog holds this many chunks.
    static let largeBacklogChunks = 5
    /// Limit of one round (one chunk, one transaction).
    static let roundTimeout: Duration = .seconds(60)

    /// - Parameters:
    ///   - writer: the chunk size and settling time of the roll-ups.
    ///   - period: pause between passes.
    public init(client: PostgresClient, writer: RollupWriter, period: Duration = .seconds(10), logger: Logger) {
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
                // The pending pairs stay in the database: the next pass takes them again.
                logger.error("history roll-up failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: period) }
        }
    }

    /// Rolls up chunks until one is short (or another collector holds the roll-up lock, or
    /// shutdown begins); returns what the pass did in all.
    @discardableResult
    public func catchUp(now: @Sendable () -> Date = { Date() }) async throws -> RollupRound {
        var total = RollupRound()
        var backlog: Int? = nil
        let started = ContinuousClock.now
        var lastReport = started
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let moment = now()
            let writer = self.writer
            let round = try await client.withConnection(timeout: Self.roundTimeout) { connection in
                try await writer.rollUp(now: moment, on: connection)
            }
            total.lockedElsewhere = round.lockedElsewhere
            total.claimed += round.claimed
            total.minuteBuckets += round.minuteBuckets
            total.hourBuckets += round.hourBuckets
            total.rawRows += round.rawRows
            guard round.claimed == writer.chunk else { break }
            if backlog == nil {
                let pending = try await client.withConnection(timeout: Self.roundTimeout) { connection in
                    try await writer.backlog(on: connection)
                }
                backlog = pending + total.claimed
                if pending >= Self.largeBacklogChunks * writer.chunk {
                    logger.notice("history roll-up catching up", metadata: ["pending": "\(pending)"])
                }
            }
            if let backlog, backlog >= Self.largeBacklogChunks * writer.chunk,
                ContinuousClock.now - lastReport >= .seconds(10)
            {
                lastReport = ContinuousClock.now
                logger.notice(
                    "history roll-up progress",
                    metadata: [
                        "done": "\(total.claimed)", "of": "\(backlog)", "raw_rows": "\(total.rawRows)",
                        "elapsed_seconds": "\((ContinuousClock.now - started).components.seconds)",
                    ])
            }
        }
        if let backlog, backlog >= Self.largeBacklogChunks * writer.chunk {
            logger.notice(
                "history roll-up caught up",
                metadata: [
                    "pairs": "\(total.claimed)", "raw_rows": "\(total.rawRows)",
                    "elapsed_seconds": "\((ContinuousClock.now - started).components.seconds)",
                ])
        }
        return total
    }
}
