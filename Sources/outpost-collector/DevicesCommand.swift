import ArgumentParser
import Foundation
import OutpostCollector
import OutpostStore

/// `outpost-collector devices …`: the device inventory from the command line.
struct DevicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices", abstract: "List, import and export the device inventory.",
        subcommands: [List.self, Import.self, Export.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List devices, by name.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Only the devices of this branch.") var branch: String?
        @Option(help: "Only devices whose name, IP, hostname or branch contains this (any case).") var search: String?

        func run() async throws {
            let devices = try await database.withConnection { connection, logger in
                let inventory = DeviceInventory(logger: logger)
                var query = DeviceQuery(search: search, branch: branch, limit: DeviceQuery.maximumLimit)
                var devices: [DeviceRecord] = []
                repeat {
                    let page = try await inventory.list(query, on: connection)
                    devices += page.devices
                    query.cursor = page.nextCursor
                } while query.cursor != nil
                return devices
            }
            let rows = devices.map { device in
                [
                    device.name, device.ip, device.branchName ?? "-", device.deviceType ?? "-",
                    device.enabled ? "yes" : "no", device.id.uuidString.lowercased(),
                ]
            }
            print(TextTable.render(header: ["NAME", "IP", "BRANCH", "TYPE", "ENABLED", "ID"], rows: rows))
            print("\(devices.count) \(devices.count == 1 ? "device" : "devices")")
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract:
                "Import devices from a CSV file (docs/device-import.md): print the plan, then apply it in one transaction unless a row is refused (exit 1) or --dry-run."
        )

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The CSV file.") var csv: String
        @Flag(help: "Print the plan only.") var dryRun = false

        func run() async throws {
            let text = try Self.read(csv)
            try await database.withConnection { connection, logger in
                let importer = DeviceCSVImport(logger: logger)
                let plan: DeviceImportPlan
                do {
                    plan = try await importer.plan(csv: text, regions: nil, on: connection)
                } catch let error as DeviceImportError {
                    throw ValidationError(error.description)
                }
                print(
                    "\(plan.creates.count) to create, \(plan.updates.count) to update, \(plan.unchanged.count) unchanged, \(plan.refused.count) refused"
                )
                for update in plan.updates {
                    print("line \(update.line): update \(update.name): \(update.changedFields.joined(separator: ", "))")
                }
                for refusal in plan.refused { print(refusal.description) }
                guard plan.refused.isEmpty else {
                    print("nothing applied")
                    throw ExitCode.failure
                }
                guard !dryRun else { return print("dry run: nothing applied") }
                let summary = try await importer.apply(plan, by: AuditActor.commandLine(), on: connection)
                print("applied: \(summary.created) created, \(summary.updated) updated, \(summary.unchanged) unchanged")
            }
        }

        /// The file's text; refused before reading when it is larger than an import accepts.
        private static func read(_ path: String) throws -> String {
            guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int else {
                throw ValidationError("cannot read \(path)")
            }
            guard size <= 10 * 1024 * 1024 else {
                throw ValidationError(DeviceImportError.tooLarge(bytes: size).description)
            }
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
            else { throw ValidationError("\(path) is not readable UTF-8 text") }
            return text
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write the devices as CSV (docs/device-import.md) to FILE, or to standard output with - or none.")

        @OptionGroup var database: DatabaseOptions
        @Flag(help: "CSV, the one format (the default).") var csv = false
        @Argument(help: "The file to write, or - for standard output.") var file: String?
        @Option(help: "Only the devices of this branch.") var branch: String?

        func run() async throws {
            let devices = try await database.withConnection { connection, logger in
                try await DeviceInventory(logger: logger).all(branch: branch, on: connection)
            }
            let text = DeviceCSVExport.csv(devices)
            guard let file, file != "-" else { return print(text, terminator: "") }
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
            } catch {
                throw ValidationError("cannot write \(file): \(error.localizedDescription)")
            }
            print("\(devices.count) \(devices.count == 1 ? "device" : "devices") written to \(file)")
        }
    }
}
