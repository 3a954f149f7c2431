import ArgumentParser
import Foundation
import Logging
import OutpostCollector
import OutpostPKI
import OutpostStore
import PostgresNIO
import ServiceLifecycle

/// `outpost-collector run`: the long-running collector process.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the collector until SIGTERM/SIGINT (graceful shutdown): agent mTLS listener, enrolment endpoint, ingest, configuration push, partition maintenance.")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Days of history kept; older daily partitions are dropped (default: $OUTPOST_RETENTION_DAYS or 90).")
    var retentionDays: Int?

    @Option(name: .customLong("ca-dir"), help: "CA directory with ca.key, ca.crt, server.key, server.crt (default: $OUTPOST_CA_DIR or certs/ca).")
    var caDirectory: String?

    @Option(help: "Address the agent mTLS listener binds (default: $OUTPOST_LISTEN or 0.0.0.0:8443).")
    var listen: String?

    @Option(help: "Address the enrolment endpoint binds (default: $OUTPOST_ENROL_LISTEN or 0.0.0.0:8444).")
    var enrolListen: String?

    func run() async throws {
        let url = try database.resolve()
        let retention = try Self.integer(retentionDays, env: "OUTPOST_RETENTION_DAYS", option: "--retention-days") ?? 90
        guard retention >= 1 else { throw ValidationError("--retention-days must be at least 1 (got \(retention))") }
        let (agentHost, agentPort) = try Self.endpoint(listen ?? Environment.value("OUTPOST_LISTEN") ?? "0.0.0.0:8443", option: "--listen")
        let (enrolHost, enrolPort) = try Self.endpoint(enrolListen ?? Environment.value("OUTPOST_ENROL_LISTEN") ?? "0.0.0.0:8444", option: "--enrol-listen")
        let caPath = caDirectory ?? Environment.value("OUTPOST_CA_DIR") ?? "certs/ca"
        let authority: CertificateAuthority
        let identity: CollectorServerIdentity
        do {
            authority = try CertificateAuthority.load(from: caPath)
            identity = try CollectorServerIdentity.load(from: caPath)
        } catch {
            throw ValidationError("--ca-dir \(caPath): \(error) (create it with `outpost-collector ca init` and `ca issue-server`)")
        }

        var logger = Logger(label: "outpost.collector")
        logger.logLevel = .info
        let client = PostgresClient(configuration: url.clientConfiguration, backgroundLogger: logger)
        let denyList = RevocationDenyList()
        try await RevocationWatcher.preload(database: url, into: denyList, logger: logger)
        let sessions = SessionRegistry()
        let configSubscribers = ConfigSubscribers()
        let pipeline = IngestPipeline(database: url, logger: logger)
        let tls = try AgentTLS(certificateChainPEM: identity.chainPEM, privateKeyPEM: try identity.privateKey.pemEncoded,
                               caCertificate: authority.certificate, denyList: denyList)
        let listener = AgentListener(host: agentHost, port: agentPort, tls: tls,
                                     sessions: AgentSessionContext(pipeline: pipeline, client: client, registry: sessions,
                                                                   configSubscribers: configSubscribers),
                                     logger: logger)
        let enrolment = EnrolmentService(
            configuration: EnrolmentServerConfiguration(host: enrolHost, port: enrolPort),
            authority: authority, identity: identity, client: client, logger: logger)
        let services: [any Service] = [
            client, pipeline,
            RevocationWatcher(client: client, denyList: denyList, sessions: sessions, logger: logger),
            ConfigChangeWatcher(client: client, subscribers: configSubscribers, logger: logger),
            PartitionMaintainer(client: client, retentionDays: retention, logger: logger),
            listener, enrolment,
        ]
        logger.info("collector starting", metadata: [
            "database": "\(url)", "retention_days": "\(retention)", "agents": "\(agentHost):\(agentPort)", "enrolment": "\(enrolHost):\(enrolPort)",
        ])
        let group = ServiceGroup(configuration: .init(
            services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
    }

    static func integer(_ value: Int?, env: String, option: String) throws -> Int? {
        if let value { return value }
        guard let text = Environment.value(env) else { return nil }
        guard let number = Int(text) else { throw ValidationError("\(env) (\(option)): not a number: \(text)") }
        return number
    }

    static func endpoint(_ text: String, option: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw ValidationError("\(option): expected host:port, got \(text)")
        }
        return (String(text[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port)
    }
}
