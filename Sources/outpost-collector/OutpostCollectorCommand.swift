import ArgumentParser

/// `outpost-collector`: the central collector.
@main
struct OutpostCollectorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outpost-collector",
        abstract: "Outpost collector: terminates agent mTLS sessions and owns every PostgreSQL write.",
        subcommands: [
            RunCommand.self, MigrateCommand.self, CACommand.self, BranchCommand.self, TokenCommand.self,
            AgentsCommand.self,
            TemplatesCommand.self, CredentialsCommand.self, StatusCommand.self, AlertsCommand.self,
            DiscoveryCommand.self, DiagCommand.self,
            QuarantineCommand.self, MaintenanceCommand.self, DevicesCommand.self,
            UserCommand.self, APITokenCommand.self, AuditCommand.self,
            ReportCommand.self,
            BaselinesCommand.self,
            ImportCommand.self,
        ]
    )
}
