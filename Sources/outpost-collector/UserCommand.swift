import ArgumentParser
import Foundation
import OutpostCollector
import OutpostStore

/// `outpost-collector user …`: operators' accounts. Passwords come from a terminal prompt or
/// standard input, never the command line, and are stored as bcrypt hashes.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Add, list, disable and enable users; set their password.",
        subcommands: [Add.self, Password.self, Disable.self, Enable.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Add a user; the password is read from the terminal or standard input.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Username: letters, digits, '.', '_' or '-' (at most 50).") var name: String
        @Option(help: "admin, regional_manager, technician or viewer.") var role: String
        @Option(help: "A region the user manages (repeat for several; required for regional_manager).")
        var region: [String] = []
        @Option(help: "E-mail address.") var email: String?

        func run() async throws {
            guard let role = OperatorRole(rawValue: role) else {
                throw ValidationError("--role: one of \(OperatorRole.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            try UserDirectory.validate(username: name)
            let hash = try await UserCommand.hash(try PasswordPrompt.read())
            let user = try await refusingInput {
                try await database.withConnection { connection, logger in
                    try await UserDirectory(logger: logger).add(
                        username: name, role: role, regions: region, email: email, passwordHash: hash,
                        by: .commandLine(), on: connection)
                }
            }
            print("user \(user.username) added (\(user.role.rawValue)\(UserCommand.regions(user)))")
        }
    }

    struct Password: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "passwd", abstract: "Set a user's password (ends their sessions).")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Username.") var name: String

        func run() async throws {
            let hash = try await UserCommand.hash(try PasswordPrompt.read("New password"))
            try await refusingInput {
                try await database.withConnection { connection, logger in
                    try await UserDirectory(logger: logger).setPassword(
                        username: name, passwordHash: hash, by: .commandLine(), on: connection)
                }
            }
            print("password of \(name) set; their sessions ended")
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "disable", abstract: "Disable a user: sessions end at once, API tokens stop working.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Username.") var name: String

        func run() async throws { try await UserCommand.setActive(name, false, database) }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "enable", abstract: "Enable a disabled user.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Username.") var name: String

        func run() async throws { try await UserCommand.setActive(name, true, database) }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List users.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let users = try await database.withConnection { connection, logger in
                try await UserDirectory(logger: logger).list(on: connection)
            }
            let rows = users.map {
                [
                    $0.username, $0.role.rawValue, $0.regions.joined(separator: ","), $0.email ?? "",
                    $0.isActive ? "active" : "disabled", $0.lastLogin?.formatted(.iso8601) ?? "never",
                ]
            }
            print(TextTable.render(header: ["USER", "ROLE", "REGIONS", "EMAIL", "STATE", "LAST LOGIN"], rows: rows))
        }
    }

    static func setActive(_ name: String, _ active: Bool, _ database: DatabaseOptions) async throws {
        try await refusingInput {
            _ = try await database.withConnection { connection, logger in
                try await UserDirectory(logger: logger).setActive(
                    username: name, active, by: .commandLine(), on: connection)
            }
        }
        print("user \(name) \(active ? "enabled" : "disabled")")
    }

    static func hash(_ password: String) async throws -> String {
        do {
            return try await PasswordHasher().hash(password)
        } catch let refused as PasswordHasher.Refused {
            throw ValidationError(refused.description)
        }
    }

    static func regions(_ user: UserRecord) -> String {
        user.regions.isEmpty ? "" : "; regions \(user.regions.joined(separator: ", "))"
    }
}
