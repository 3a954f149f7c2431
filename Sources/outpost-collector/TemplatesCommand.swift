import ArgumentParser
import OutpostStore

/// `outpost-collector templates …`: monitoring templates and their items on devices.
struct TemplatesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates", abstract: "Import, list and apply monitoring templates.",
        subcommands: [Import.self, List.self, Apply.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract:
                "Import templates (a JSON template or array of templates, or the built-in ones); a template with the same name is updated."
        )

        @OptionGroup var database: DatabaseOptions
        @Option(help: "JSON file with one template or an array of templates.")
        var file: String?
        @Flag(
            help:
                "Import the built-in templates (Cisco IOS/IOS-XE, FortiGate, HP/Aruba, Juniper, MikroTik, Linux, Windows)."
        )
        var builtin = false

        func validate() throws {
            guard (file != nil) != builtin else { throw ValidationError("give exactly one of --file F and --builtin") }
        }

        func run() async throws {
            let templates = try file.map { try TemplateStore.templates(inFile: $0) } ?? BuiltinTemplates.all()
            let result = try await database.withConnection { connection, logger in
                try await TemplateStore(logger: logger).importTemplates(
                    templates, builtin: builtin, by: .commandLine(), on: connection)
            }
            for name in result.created { print("created:   \(name)") }
            for name in result.updated { print("updated:   \(name)") }
            for name in result.unchanged { print("unchanged: \(name)") }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List templates.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let templates = try await database.withConnection { connection, logger in
                try await TemplateStore(logger: logger).list(on: connection)
            }
            print("NAME                          VENDOR        ITEMS  TRIGGERS  DEVICES  BUILT-IN")
            for template in templates {
                print(
                    [
                        pad(template.name, 28), pad(template.vendor ?? "-", 12), pad("\(template.itemCount)", 5),
                        pad("\(template.triggerCount)", 8), pad("\(template.deviceCount)", 7),
                        template.isBuiltin ? "yes" : "no",
                    ]
                    .joined(separator: "  "))
            }
        }
    }

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "apply",
            abstract: "Create (or update) the template's monitoring items on devices; applying again changes nothing.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The template's name.")
        var template: String
        @Option(name: .customLong("device"), help: "A device's id or name (repeatable).")
        var devices: [String] = []
        @Flag(help: "Every device whose vendor and device type match the template's.")
        var match = false

        func validate() throws {
            guard devices.isEmpty == match else {
                throw ValidationError("give either --device ID|NAME (repeatable) or --match")
            }
        }

        func run() async throws {
            let target: TemplateStore.Target = match ? .matching : .devices(devices)
            let result = try await database.withConnection { connection, logger in
                try await TemplateStore(logger: logger).apply(template, to: target, by: .commandLine(), on: connection)
            }
            print(
                "\(template): \(result.devices) device(s); items created \(result.created), updated \(result.updated), "
                    + "unchanged \(result.unchanged), removed \(result.removed)")
        }
    }
}
