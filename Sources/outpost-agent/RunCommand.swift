import ArgumentParser
import Foundation
import Logging
import OutpostAgent
import OutpostPKI
import ServiceLifecycle

/// `outpost-agent run`: probe, spool and deliver until SIGTERM.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the agent: probe the branch's devices, spool results, deliver them to the collector.")

    @Option(name: .customLong("state-dir"), help: "Agent state directory (key, certificate, spool, cached configuration) (default: $OUTPOST_AGENT_STATE_DIR or /var/lib/outpost-agent).")
    var stateDirectory: String?

    @Option(name: .customLong("collector"), help: "Collector mTLS address host:port, in order of preference (repeatable; default: $OUTPOST_COLLECTORS, comma-separated).")
    var collectors: [String] = []

    @Option(name: .customLong("server-name"), help: "Name the collector's certificate must carry (default: the host of each address).")
    var serverName: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let state = stateDirectory ?? environment["OUTPOST_AGENT_STATE_DIR"] ?? "/var/lib/outpost-agent"
        let texts = collectors.isEmpty ? (environment["OUTPOST_COLLECTORS"] ?? "").split(separator: ",").map(String.init) : collectors
        guard !texts.isEmpty else { throw ValidationError("--collector: at least one collector address is needed (or set OUTPOST_COLLECTORS)") }
        let addresses = try texts.map { text in
            guard let address = CollectorAddress(parsing: text.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--collector: expected host:port, got \(text)")
            }
            return CollectorAddress(host: address.host, port: address.port, serverName: serverName)
        }
        let credentials: AgentCredentials
        do {
            credentials = try AgentStateDirectory(path: state).loadCredentials()
        } catch {
            throw ValidationError("--state-dir \(state): no usable enrolment (\(error)); run `outpost-agent enrol` first")
        }
        if credentials.isExpired() {
            throw ValidationError("the agent certificate expired on \(credentials.certificate.notValidAfter); enrol again with a new token")
        }
        var logger = Logger(label: "outpost.agent")
        logger.logLevel = .info
        logger[metadataKey: "agent"] = "\(credentials.agentID)"
        let agent = try AgentService(stateDirectory: state, uplink: Uplink.Configuration(collectors: addresses), logger: logger)
        logger.info("agent starting", metadata: ["collectors": "\(addresses.map(\.description))", "state": "\(state)"])
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: agent)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
