import ArgumentParser
import Logging
import OutpostCollector
import OutpostStore
import PostgresNIO
import ServiceLifecycle

/// `outpost-collector run`: the long-running collector process.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the collector until SIGTERM/SIGINT (graceful shutdown).")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Days of history kept; older daily partitions are dropped (default: $OUTPOST_RETENTION_DAYS or 90).")
    var retentionDays: Int?

    func run() async throws {
        let url = try database.resolve()
        let retention = try retentionDays ?? Environment.value("OUTPOST_RETENTION_DAYS").map { text in
            guard let days = Int(text) else { throw ValidationError("OUTPOST_RETENTION_DAYS: not a number: \(text)") }
            return days
        } ?? 90
        guard retention >= 1 else { throw ValidationError("--retention-days must be at least 1 (got \(retention))") }

        var logger = Logger(label: "outpost.collector")
        logger.logLevel = .info
        let client = PostgresClient(configuration: url.clientConfiguration, backgroundLogger: logger)
        let maintainer = PartitionMaintainer(client: client, retentionDays: retention, logger: logger)
        logger.info("collector starting", metadata: ["database": "\(url)", "retention_days": "\(retention)"])
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: client), .init(service: maintainer)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
    }
}
