import ArgumentParser
import Foundation
import OutpostCollector
import OutpostStore

/// `outpost-collector discovery …`: discovery rules, on-demand runs, job progress and cancellation.
struct DiscoveryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discovery", abstract: "Network discovery: rules, runs, progress, cancellation.",
        subcommands: [RuleCommand.self, CredentialCommand.self, Run.self, Status.self, Cancel.self])

    struct CredentialCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "credential", abstract: "Candidate SNMP credentials of discovery rules.",
            subcommands: [AddCredential.self])
    }

    struct AddCredential: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract:
                "Add a candidate SNMP credential, encrypted under the master key; prints its id for `rule add --credential`.",
            discussion:
                "Secrets given as options are visible to other local users in the process list while the command runs; run it where that is acceptable."
        )

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var masterKey: MasterKeyOptions
        @Argument(help: "A name for the credential.")
        var name: String
        @OptionGroup var credential: SNMPCredentialOptions

        func validate() throws {
            _ = try credential.resolve()
            guard (1...200).contains(name.count) else { throw ValidationError("the name must be 1 to 200 characters") }
        }

        func run() async throws {
            let credential = try self.credential.resolve()
            let key = try masterKey.resolve(database)
            let record = try key.seal(credential, discoveryCredential: UUID(), name: name)
            try await database.withConnection { connection, logger in
                try await DiscoveryRuleStore(logger: logger).addCredential(record, by: .commandLine(), on: connection)
            }
            print("\(record.id.uuidString.lowercased()) \(credential) (master key \(key.fingerprintHex))")
        }
    }

    struct RuleCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rule", abstract: "Discovery rules.", subcommands: [Add.self, List.self])
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Add a discovery rule swept by a branch's agent.",
            discussion:
                "Example: discovery rule add lan-7 --range 10.7.0.0/24 --exclude 10.7.0.1 --branch branch-7 --schedule '0 3 * * *' --credential ID --import"
        )

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Unique rule name.")
        var name: String
        @Option(name: .customLong("range"), help: "A prefix or address to sweep (repeat for several).")
        var ranges: [String] = []
        @Option(name: .customLong("exclude"), help: "A prefix or address to leave out (repeat for several).")
        var exclusions: [String] = []
        @Option(help: "The branch (name) whose connected agent sweeps.")
        var branch: String?
        @Option(help: "The agent (id) that sweeps; wins over --branch.")
        var agent: String?
        @Option(help: "Five-field cron schedule in UTC, e.g. '0 3 * * *' (default: on demand only).")
        var schedule: String?
        @Option(
            name: .customLong("credential"),
            help: "A discovery_credentials id to try over SNMP, in order (repeat for several).")
        var credentials: [String] = []
        @Option(help: "SNMP port of the devices.")
        var snmpPort = 161
        @Flag(help: "Ping sweep only, no SNMP.")
        var pingOnly = false
        @Flag(
            name: .customLong("import"),
            help: "Add new devices to the inventory and apply the templates matching their vendor.")
        var autoImport = false
        @Option(help: "Description.")
        var description: String?

        func validate() throws {
            guard !ranges.isEmpty else { throw ValidationError("give at least one --range") }
            guard branch != nil || agent != nil else {
                throw ValidationError("give --branch or --agent: who sweeps the rule")
            }
            if let agent, UUID(uuidString: agent) == nil { throw ValidationError("--agent must be an agent id (UUID)") }
            for credential in credentials where UUID(uuidString: credential) == nil {
                throw ValidationError("--credential \(credential.debugDescription) is not a UUID")
            }
        }

        func run() async throws {
            let id = try await database.withConnection { connection, logger in
                let store = DiscoveryRuleStore(logger: logger)
                do {
                    var branchID: UUID?
                    if let branch { branchID = try await store.branch(named: branch, on: connection) }
                    let rule = DiscoveryRuleRecord(
                        name: name, description: description, ranges: ranges, exclusions: exclusions,
                        schedule: schedule, snmp: !pingOnly,
                        credentialIDs: credentials.compactMap(UUID.init(uuidString:)),
                        branchID: branchID,
                        agentID: agent.flatMap(UUID.init(uuidString:)),
                        autoImport: autoImport, snmpPort: snmpPort)
                    try await store.add(rule, by: .commandLine(), on: connection)
                    return rule.id
                } catch let error as DiscoveryStoreError {
                    throw ValidationError(error.description)
                }
            }
            print("discovery rule \(name.debugDescription) added (\(id.uuidString.lowercased()))")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List discovery rules.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let rules = try await database.withConnection { connection, logger in
                try await DiscoveryRuleStore(logger: logger).list(on: connection)
            }
            let rows = rules.map { rule in
                [
                    rule.name, (rule.ranges + rule.exclusions.map { "-" + $0 }).joined(separator: " "),
                    rule.schedule ?? "on demand",
                    rule.snmp ? "ping+snmp (\(rule.credentialIDs.count) credentials)" : "ping",
                    rule.autoImport ? "yes" : "no",
                    rule.enabled ? "yes" : "no", rule.lastRun.map { ISO8601DateFormatter().string(from: $0) } ?? "-",
                ]
            }
            print(
                TextTable.render(
                    header: ["RULE", "RANGES", "SCHEDULE", "PROBES", "IMPORT", "ENABLED", "LAST RUN"], rows: rows))
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run a rule now: the job waits until the rule's agent is connected to a collector.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The rule's name or id.")
        var rule: String

        func run() async throws {
            let job = try await database.withConnection { connection, logger in
                do {
                    return try await DiscoveryJobStore(logger: logger).requestRun(
                        rule: rule, triggeredBy: "manual", by: .commandLine(), on: connection)
                } catch let error as DiscoveryStoreError {
                    throw ValidationError(error.description)
                }
            }
            print(job.uuidString.lowercased())
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Show a job's progress; with --follow, until it ends (a progress bar on a terminal).")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The job's id.")
        var job: String
        @Flag(help: "Keep showing progress until the job ends.")
        var follow = false

        func run() async throws {
            guard let id = UUID(uuidString: job) else {
                throw ValidationError("\(job.debugDescription) is not a job id")
            }
            let terminal = isatty(STDOUT_FILENO) == 1
            var last = ""
            while true {
                let record = try await database.withConnection { connection, logger in
                    try await DiscoveryJobStore(logger: logger).job(id, on: connection)
                }
                guard let record else { throw ValidationError(DiscoveryStoreError.unknownJob(job).description) }
                let line = DiscoveryProgressLine.render(record, bar: terminal)
                if line != last {
                    // Unbuffered, so a redrawn bar shows at once.
                    FileHandle.standardOutput.write(Data((terminal ? "\r\u{1B}[2K" + line : line + "\n").utf8))
                    last = line
                }
                if record.status.isFinished || !follow {
                    if terminal { FileHandle.standardOutput.write(Data("\n".utf8)) }
                    if let reason = record.errorMessage, record.status != .completed { print("reason: \(reason)") }
                    if record.status == .failed { throw ExitCode.failure }
                    return
                }
                try await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cancel",
            abstract: "Cancel a job: a pending one at once, a running one within seconds (its agent stops the sweep).")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The job's id.")
        var job: String

        func run() async throws {
            guard let id = UUID(uuidString: job) else {
                throw ValidationError("\(job.debugDescription) is not a job id")
            }
            let status = try await database.withConnection { connection, logger in
                do {
                    return try await DiscoveryJobStore(logger: logger).requestCancel(
                        id, by: .commandLine(), on: connection)
                } catch let error as DiscoveryStoreError {
                    throw ValidationError(error.description)
                }
            }
            print(
                status == .cancelled ? "cancelled" : "cancellation requested; the agent stops the sweep within seconds")
        }
    }
}

/// One line of `discovery status`: state, counters, and on a terminal a progress bar.
enum DiscoveryProgressLine {
    static func render(_ job: DiscoveryJobRecord, bar: Bool) -> String {
        let fraction =
            job.totalIPs > 0
            ? min(1, Double(job.scannedIPs) / Double(job.totalIPs)) : (job.status == .completed ? 1 : 0)
        let counters =
            "\(job.scannedIPs)/\(job.totalIPs) scanned, \(job.discoveredDevices) found, \(job.importedDevices) imported, \(job.failedIPs) failed"
        let percent = "\(Int((fraction * 100).rounded(.down)))%"
        guard bar else { return "\(job.status.rawValue) \(percent) \(counters)" }
        let width = 30
        let filled = Int((fraction * Double(width)).rounded(.down))
        return
            "[\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] \(percent) \(job.status.rawValue) \(counters)"
    }
}
