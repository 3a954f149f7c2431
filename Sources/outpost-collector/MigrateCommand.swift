import ArgumentParser
import Foundation
import Logging
import OutpostStore
import PostgresNIO

/// `outpost-collector migrate [--status]`: applies the embedded schema migrations.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending schema migrations (safe to run from several collectors at once).")

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "List applied and pending migrations instead of applying them.")
    var status = false

    func run() async throws {
        let url = try database.resolve()
        let logger = Logger(label: "outpost.migrate")
        let connection = try await url.connect(id: 1, logger: logger)
        do {
            try await run(on: connection, url: url, logger: logger)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }

    private func run(on connection: PostgresConnection, url: DatabaseURL, logger: Logger) async throws {
        let runner = MigrationRunner(logger: logger)
        if status {
            for migration in try await runner.status(on: connection) {
                let state =
                    migration.appliedAt.map { "applied \(ISO8601DateFormatter().string(from: $0))" } ?? "pending"
                print(
                    "\(String(format: "%04d", migration.version))  \(migration.name.padding(toLength: 28, withPad: " ", startingAt: 0))  \(state)"
                )
            }
            return
        }
        print("migrating \(url)")
        let applied = try await runner.migrate(on: connection) { progress in
            switch progress {
            case .waitingForLock:
                logger.debug("waiting for the migration lock")
            case .applying(let migration, let index, let count):
                print("[\(index)/\(count)] applying \(migration.version) \(migration.name) …")
            case .applied(let migration, let seconds):
                print("        \(migration.name) done in \(String(format: "%.2f", seconds)) s")
            case .upToDate(let count):
                print("schema up to date (\(count) migrations applied)")
            }
        }
        logger.info("migrations applied", metadata: ["count": "\(applied)"])
    }
}
