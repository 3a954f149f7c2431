import ArgumentParser
import CoreMetrics
import Foundation
import Logging
import OutpostAgent
import OutpostPKI
import Prometheus
import ServiceLifecycle

/// `outpost-agent run`: probe, spool and deliver until SIGTERM.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the agent: probe the branch's devices, spool results, deliver them to the collector.")

    @OptionGroup var flags: AgentFlags

    func run() async throws {
        MallocArenaLimit.apply()
        let settings = try flags.settings()
        guard let uplink = settings.uplink else {
            throw ValidationError(
                "--collector: at least one collector address is needed (or $OUTPOST_COLLECTORS, or collectors in the configuration file)"
            )
        }
        let state = settings.stateDirectory
        let credentials: AgentCredentials
        do {
            credentials = try AgentStateDirectory(path: state).loadCredentials()
        } catch {
            throw ValidationError(
                "state directory \(state): no usable enrolment (\(error)); run `outpost-agent enrol` first")
        }
        if credentials.isExpired() {
            throw ValidationError(
                "the agent certificate expired on \(credentials.certificate.notValidAfter); enrol again with a new token"
            )
        }
        var logger = Logger(label: "outpost.agent")
        logger.logLevel = settings.logLevel
        logger[metadataKey: "agent"] = "\(credentials.agentID)"
        let agent = try AgentService(
            stateDirectory: state, uplink: uplink, spool: settings.spool,
            icmpMaxPacketsPerSecond: settings.icmpMaxPacketsPerSecond, logger: logger)
        logger.info(
            "agent starting", metadata: ["collectors": "\(uplink.collectors.map(\.description))", "state": "\(state)"])
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: agent)]
        if let listen = settings.metricsListen {
            let registry = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            services.append(
                .init(
                    service: AgentMetricsEndpoint(
                        host: listen.host, port: listen.port, registry: registry, logger: logger)))
        }
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
