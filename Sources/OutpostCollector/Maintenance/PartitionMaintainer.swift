import Foundation
import Logging
import OutpostStore
import PostgresNIO
import ServiceLifecycle

/// Keeps partitions created ahead of time and drops those past retention, at start and then
/// every `period`: raw rows by `retentionDays`, the one-minute and one-hour roll-ups by their own
/// (docs/architecture.md, "Schema decisions"). Several collectors may run it at once: the SQL
/// functions lock.
/// Each round also deletes operators' login sessions that ended or expired over a day ago.
public struct PartitionMaintainer: Service {
    private let client: PostgresClient
    private let daysAhead: Int
    private let retentionDays: Int
    private let rollupRetention: (minute: Int, hour: Int)
    private let period: Duration
    private let logger: Logger

    /// - Parameters:
    ///   - daysAhead: partitions exist from yesterday through today + `daysAhead`.
    ///   - retentionDays: raw rows' partitions older than this many days are dropped.
    ///   - rollupRetention: days of one-minute and of one-hour roll-ups kept.
    public init(
        client: PostgresClient, daysAhead: Int = 7, retentionDays: Int,
        rollupRetention: (minute: Int, hour: Int) = (90, 730), period: Duration = .seconds(3600), logger: Logger
    ) {
        self.client = client
        self.daysAhead = daysAhead
        self.retentionDays = retentionDays
        self.rollupRetention = rollupRetention
        self.period = period
        self.logger = logger
    }

    public func run() async throws {
        // Cancelled (another service of the group failed): every attempt would fail at once, so stop.
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await runOnce()
            } catch {
                // The database may be down; the next period retries. Ingest also creates a
                // missing day on demand, so a missed round loses nothing.
                logger.error("partition maintenance failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: period) }
        }
    }

    /// Limit of one round: its DDL can wait for locks that ingest holds for a moment.
    static let roundTimeout: Duration = .seconds(120)

    /// One maintenance round, abandoned after ``roundTimeout``.
    public func runOnce(now: Date = Date()) async throws {
        let maintenance = PartitionMaintenance(logger: logger)
        let (daysAhead, retentionDays, rollupRetention) = (self.daysAhead, self.retentionDays, self.rollupRetention)
        try await client.withConnection(timeout: Self.roundTimeout) { connection in
            try await maintenance.ensurePartitions(
                from: now.addingTimeInterval(-86_400), days: daysAhead + 2, on: connection)
            _ = try await maintenance.dropExpired(retentionDays: retentionDays, now: now, on: connection)
            _ = try await maintenance.dropExpiredRollups(
                minuteDays: rollupRetention.minute, hourDays: rollupRetention.hour, now: now, on: connection)
            try await LoginSessionStore(logger: logger).purge(on: connection)
        }
    }
}
