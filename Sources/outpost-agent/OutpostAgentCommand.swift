import ArgumentParser
import OutpostAgent

/// `outpost-agent`: the branch agent.
@main
struct OutpostAgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outpost-agent",
        abstract: "Outpost branch agent: probes local devices and pushes signed batches to the collector.",
        subcommands: [EnrolCommand.self, RunCommand.self, StatusCommand.self, ProbeCommand.self]
    )
}
