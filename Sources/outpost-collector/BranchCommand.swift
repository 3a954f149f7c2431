import ArgumentParser
import OutpostStore

/// `outpost-collector branch …`: the minimum needed to enrol a first agent.
struct BranchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "branch", abstract: "Manage branches.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Create a branch (does nothing if it exists).")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The branch's unique name (1 to 64 characters).")
        var name: String
        @Option(help: "The name shown to people (default: NAME).")
        var displayName: String?

        func run() async throws {
            let (branch, created) = try await database.withConnection { connection, logger in
                try await BranchRegistry(logger: logger).add(
                    name: name, displayName: displayName, by: .commandLine(), on: connection)
            }
            print("\(created ? "created" : "exists:") branch \(branch.name) (\(branch.id.uuidString.lowercased()))")
        }
    }
}
