import ArgumentParser
import Foundation
import OutpostCollector
import OutpostCore

/// `outpost-collector quarantine …`: batches whose rows PostgreSQL refused on ingest.
struct QuarantineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarantine",
        abstract: "List, replay or discard agent batches whose rows PostgreSQL refused on ingest.",
        subcommands: [List.self, Replay.self, Discard.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List held batches, oldest first (times in the local time zone).")

        @OptionGroup var database: DatabaseOptions
        @Flag(help: "Also list batches already replayed or discarded.")
        var all = false

        func run() async throws {
            let batches = try await database.withConnection { connection, logger in
                try await QuarantineRelease(logger: logger).list(includeResolved: all, on: connection)
            }
            let time = Date.ISO8601FormatStyle(timeZone: .current)
            print(
                TextTable.render(
                    header: ["ID", "RECEIVED", "BRANCH", "AGENT", "SEQUENCE", "ROWS", "STATUS", "ERROR"],
                    rows: batches.map { batch in
                        [
                            String(batch.id), batch.receivedAt.formatted(time), batch.branch, batch.agentID.description,
                            String(batch.sequence),
                            String(batch.rowCount), batch.status,
                            LogSafeText.escaped("SQLSTATE \(batch.sqlState): \(batch.error)"),
                        ]
                    }))
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "replay",
            abstract:
                "Write a held batch once its cause is fixed (signature and values checked again, rows kept to the agent's branch)."
        )

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The batch's id (from `quarantine list`).")
        var id: Int64

        func run() async throws {
            let replayed = try await database.withConnection { connection, logger in
                try await QuarantineRelease(logger: logger).replay(id, by: .commandLine(), on: connection)
            }
            print(
                "replayed batch \(id): \(replayed.rowsWritten) rows written, \(replayed.rowsRefused) refused (not of the agent's branch)"
            )
        }
    }

    struct Discard: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "discard", abstract: "Drop a held batch for good (the row stays, marked discarded).")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The batch's id (from `quarantine list`).")
        var id: Int64

        func run() async throws {
            try await database.withConnection { connection, logger in
                try await QuarantineRelease(logger: logger).discard(id, by: .commandLine(), on: connection)
            }
            print("discarded batch \(id)")
        }
    }
}
