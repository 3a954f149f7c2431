import ArgumentParser

/// `outpost-agent probe`: one probe with the agent's own engines, printed instead of stored.
struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Probe a device once with the agent's engines and print what the agent would store.",
        discussion: """
            DEVICE is a device of the agent's cached configuration (its id, name or address), which
            brings its SNMP credential and ping settings, or an IPv4 or IPv6 address literal.
            """,
        subcommands: [ProbePingCommand.self, ProbeSNMPCommand.self]
    )
}
