import ArgumentParser
import Foundation
import OutpostStore

/// `outpost-collector diag …`: traceroute and MTR of a device from its branch's agent.
struct DiagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diag",
        abstract: "Path diagnostics: traceroute and MTR from the agent of a device's branch.",
        discussion:
            "The job runs on the agent connected to a running collector; it fails with the reason when no agent of the device's branch is connected.",
        subcommands: [Traceroute.self, MTR.self, Show.self, Cancel.self, Schedule.self])

    struct JobOptions: ParsableArguments {
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The device: its id, or its name or address when unique.")
        var device: String
        @Option(name: .customLong("protocol"), help: "Probe protocol: icmp, udp or tcp.")
        var probeProtocol = "icmp"
        @Option(help: "Destination port of TCP probes.")
        var port = 80
        @Flag(help: "Wait for the result (showing progress) and print it as a table.")
        var wait = false
        @Flag(help: "Resolve the hop addresses to names (reverse DNS, within 2 s), shown in the NAME column.")
        var resolve = false
    }

    struct Traceroute: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "traceroute",
            abstract: "Trace the path to a device; prints the job id, or with --wait the hops.")

        @OptionGroup var options: JobOptions

        func run() async throws {
            let request = try DiagnosticRequest(
                kind: .traceroute, probeProtocol: options.probeProtocol, port: options.port, trigger: .manual,
                resolveNames: options.resolve)
            try await DiagCommand.start(request, options)
        }
    }

    struct MTR: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mtr", abstract: "Run an MTR to a device; prints the job id, or with --wait the report.")

        @OptionGroup var options: JobOptions
        @Option(help: "Cycles (1 to 100), one second apart.")
        var cycles = 10

        func run() async throws {
            let request = try DiagnosticRequest(
                kind: .mtr, probeProtocol: options.probeProtocol, port: options.port, cycles: cycles, trigger: .manual,
                resolveNames: options.resolve)
            try await DiagCommand.start(request, options)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show a job: its status, or once ended its hops.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The job's id.")
        var job: String

        func run() async throws {
            guard let id = UUID(uuidString: job) else {
                throw ValidationError("\(job.debugDescription) is not a job id")
            }
            try await DiagCommand.follow(id, database: database, wait: false)
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cancel", abstract: "Cancel a job: a pending one at once, a running one within seconds.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The job's id.")
        var job: String

        func run() async throws {
            guard let id = UUID(uuidString: job) else {
                throw ValidationError("\(job.debugDescription) is not a job id")
            }
            let status = try await database.withConnection { connection, logger in
                try await DiagCommand.validating {
                    try await DiagnosticJobStore(logger: logger).requestCancel(id, by: .commandLine(), on: connection)
                }
            }
            print(status == .cancelled ? "cancelled" : "cancellation requested; the agent stops within seconds")
        }
    }

    struct Schedule: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "schedule",
            abstract: "Trace a device, or every device of a type, at a fixed interval (spread over the interval).")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The device (id, or unique name or address).")
        var device: String?
        @Option(help: "Every device of this type (e.g. router).")
        var deviceType: String?
        @Option(help: "Interval in minutes (1 to 10080).")
        var everyMinutes = 15
        @Flag(help: "Run an MTR of 10 cycles instead of a traceroute.")
        var mtr = false
        @Option(name: .customLong("protocol"), help: "Probe protocol: icmp, udp or tcp.")
        var probeProtocol = "icmp"

        func run() async throws {
            let id = try await database.withConnection { connection, logger in
                try await DiagCommand.validating {
                    let store = DiagnosticJobStore(logger: logger)
                    var deviceID: UUID?
                    if let device { deviceID = try await store.device(device, on: connection) }
                    return try await store.addSchedule(
                        device: deviceID, deviceType: deviceType, kind: mtr ? .mtr : .traceroute,
                        probeProtocol: probeProtocol, cycles: 10, intervalSeconds: everyMinutes * 60, on: connection)
                }
            }
            print(id.uuidString.lowercased())
        }
    }

    /// Creates the job and prints its id, or with `--wait` follows it to its end.
    static func start(_ request: DiagnosticRequest, _ options: JobOptions) async throws {
        let id = try await options.database.withConnection { connection, logger in
            try await validating {
                let store = DiagnosticJobStore(logger: logger)
                return try await store.create(
                    device: try await store.device(options.device, on: connection), request, on: connection)
            }
        }
        guard options.wait else {
            print(id.uuidString.lowercased())
            return
        }
        try await follow(id, database: options.database, wait: true)
    }

    /// How long `--wait` waits for a collector to take a pending job (one fails it within 10 s
    /// when no agent of the device's branch is connected).
    static let pendingLimit: TimeInterval = 30

    /// Shows job `id`; with `wait`, progress on standard error until it ends, then the table.
    static func follow(_ id: UUID, database: DatabaseOptions, wait: Bool) async throws {
        var last = ""
        while true {
            let (job, hops) = try await database.withConnection { connection, logger in
                let store = DiagnosticJobStore(logger: logger)
                guard let job = try await store.job(id, on: connection) else {
                    throw ValidationError(DiagnosticStoreError.unknownJob(id.uuidString.lowercased()).description)
                }
                return (job, job.status.isFinished ? try await store.hops(of: job, on: connection) : [])
            }
            let line =
                "\(job.kind.rawValue) \(job.targetIP): \(job.status.rawValue) \(job.completedUnits)/\(job.totalUnits ?? 1)"
            if line != last {
                FileHandle.standardError.write(Data((line + "\n").utf8))
                last = line
            }
            if wait, job.status == .pending, Date().timeIntervalSince(job.createdAt) > pendingLimit {
                print("still pending after \(Int(pendingLimit)) s: is a collector running?")
                throw ExitCode.failure
            }
            if job.status.isFinished || !wait {
                if job.status == .completed {
                    print(DiagnosticTable.render(job, hops: hops))
                } else if let detail = job.detail {
                    print("reason: \(detail)")
                }
                if job.status == .failed { throw ExitCode.failure }
                return
            }
            try await Task.sleep(for: .milliseconds(300))
        }
    }

    static func validating<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as DiagnosticStoreError {
            throw ValidationError(error.description)
        }
    }
}

/// The hops of a job as `traceroute -n` or `mtr --report` print them.
enum DiagnosticTable {
    static func render(_ job: DiagnosticJobRecord, hops: [DiagnosticHopRecord]) -> String {
        func ms(_ value: Double?) -> String { value.map { String(format: "%.1f", $0) } ?? "-" }
        let header: [String]
        let rows: [[String]]
        switch job.kind {
        case .traceroute:
            header = ["HOP", "ADDRESS", "NAME", "RTT (ms)", "LOSS%", "REPLY"]
            rows = hops.map { hop in
                [
                    "\(hop.number)", hop.address ?? "*", hop.hostname ?? "",
                    hop.rttsMilliseconds.isEmpty ? "* * *" : hop.rttsMilliseconds.map { ms($0) }.joined(separator: " "),
                    String(format: "%.0f", hop.lossPercent), hop.reply ?? "",
                ]
            }
        case .mtr:
            header = ["HOP", "HOST", "NAME", "Loss%", "Snt", "Last", "Avg", "Best", "Wrst", "StDev", "Javg"]
            rows = hops.map { hop in
                [
                    "\(hop.number).|--", hop.address ?? "???", hop.hostname ?? "",
                    String(format: "%.1f%%", hop.lossPercent), "\(hop.sent)",
                    ms(hop.lastMilliseconds), ms(hop.averageMilliseconds), ms(hop.bestMilliseconds),
                    ms(hop.worstMilliseconds), ms(hop.standardDeviationMilliseconds), ms(hop.jitterMilliseconds),
                ]
            }
        }
        var text =
            "\(job.kind.rawValue) to \(job.deviceName) (\(job.targetIP)), \(job.probeProtocol): \(job.ending ?? "-")"
        if job.pathChanged == true { text += ", path changed since the previous trace" }
        return text + "\n" + TextTable.render(header: header, rows: rows)
    }
}
