import ArgumentParser
import Foundation
import Logging
import OutpostCollector
import OutpostLegacy
import OutpostStore

/// `outpost-collector import …`: moving over from the legacy WARD OPS system
/// (docs/legacy-import.md).
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import from the legacy WARD OPS system.",
        subcommands: [Legacy.self, LegacyTemplates.self])

    struct Legacy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "legacy",
            abstract:
                "Import the legacy database (inventory, credentials, users, rules, alerts, templates, discovery rules, ping history), verified row by row; running it again updates rather than duplicates."
        )

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var masterKey: MasterKeyOptions
        @Option(help: "The legacy SQLite database (data/ward_ops.db), opened read-only.")
        var sqlite: String?
        @Option(help: "The legacy database on PostgreSQL: postgres://user[:password]@host:port/database.")
        var postgres: String?
        @Option(
            name: .customLong("fernet-key-file"),
            help:
                "File holding a legacy Fernet key (WARD_ENCRYPTION_KEY or ENCRYPTION_KEY); repeat for both. Each encrypted value is tried with every key."
        )
        var fernetKeyFiles: [String] = []
        @Option(help: "Only the ping history of this long before the newest legacy row (e.g. 7d, 36h); default: all.")
        var since: String?
        @Flag(help: "Read, map and check everything and print the report, but write nothing.")
        var dryRun = false
        @Option(help: .hidden)
        var pingBatch = 50_000

        func validate() throws {
            guard (sqlite != nil) != (postgres != nil) else {
                throw ValidationError("give exactly one of --sqlite FILE and --postgres URL")
            }
            if let since { _ = try CommandLineTime.seconds(since, option: "--since") }
        }

        func run() async throws {
            var keys: [FernetKey] = []
            for path in fernetKeyFiles {
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw ValidationError("--fernet-key-file: cannot read \(path)")
                }
                guard let key = FernetKey(String(decoding: data, as: UTF8.self), label: path) else {
                    throw ValidationError(
                        "--fernet-key-file: \(path) does not hold a Fernet key (32 bytes, URL-safe base64)")
                }
                keys.append(key)
            }
            let settings = try database.settings()
            let retention = try DatabaseOptions.validating { try settings.retentionDays() }
            let rollups = try DatabaseOptions.validating { try settings.rollupRetentionDays() }
            let key = dryRun ? try? masterKey.resolve(database) : try masterKey.resolve(database)
            let options = LegacyImportOptions(
                fernetKeys: keys, masterKey: key, dryRun: dryRun,
                since: try since.map {
                    TimeInterval(try CommandLineTime.seconds($0, option: "--since"))
                }, rawRetentionDays: retention, minuteRollupRetentionDays: rollups.minute,
                hourRollupRetentionDays: rollups.hour, pingBatchSize: pingBatch)
            let logger = Logger(label: "outpost.collector.import")
            let source: any LegacySource
            if let sqlite {
                source = try await SQLiteLegacySource.open(path: sqlite, logger: logger)
            } else {
                let url = try DatabaseOptions.validating { try DatabaseURL(postgres ?? "") }
                source = try await PostgresLegacySource.open(url: url, logger: logger)
            }
            let report: LegacyImportReport
            do {
                report = try await database.withConnection { connection, logger in
                    try await refusingInput {
                        try await LegacyImporter(
                            source: source, connection: connection, options: options, progress: LegacyProgress(),
                            logger: logger
                        ).run()
                    }
                }
                try await source.close()
            } catch {
                try? await source.close()
                throw error
            }
            print(report.text)
            if !report.verified && !dryRun { throw ExitCode(2) }
        }
    }

    struct LegacyTemplates: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "legacy-templates",
            abstract:
                "Import monitoring templates written in the legacy's JSON format (names normalised, gauge and error severities mapped)."
        )

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Legacy template JSON files.")
        var files: [String]

        func run() async throws {
            var templates: [MonitoringTemplate] = []
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw ValidationError("cannot read \(file)")
                }
                do {
                    templates += try LegacyTemplateFormat.templates(inJSON: data, source: file)
                } catch let error as LegacyTemplateFormat.Refused {
                    throw ValidationError(error.description)
                }
            }
            let result = try await database.withConnection { connection, logger in
                try await TemplateStore(logger: logger).importTemplates(
                    templates, builtin: false, by: .commandLine(), on: connection)
            }
            for name in result.created { print("created:   \(name)") }
            for name in result.updated { print("updated:   \(name)") }
            for name in result.unchanged { print("unchanged: \(name)") }
        }
    }
}
