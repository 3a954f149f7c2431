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
        abstract:
            "Run the collector until SIGTERM/SIGINT (graceful shutdown): agent mTLS listener, enrolment endpoint, ingest, configuration push, history roll-ups, partition maintenance, operator HTTP."
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var masterKey: MasterKeyOptions

    @Option(
        help:
            "Days of raw history kept; older daily partitions are dropped (default: $OUTPOST_RETENTION_DAYS, retention_days, or 7)."
    )
    var retentionDays: String?

    @Option(
        help:
            "Days of one-minute history roll-ups kept (default: $OUTPOST_ROLLUP_MINUTE_RETENTION_DAYS, rollup_minute_retention_days, or 90)."
    )
    var rollupMinuteRetentionDays: String?

    @Option(
        help:
            "Days of one-hour history roll-ups kept (default: $OUTPOST_ROLLUP_HOUR_RETENTION_DAYS, rollup_hour_retention_days, or 730)."
    )
    var rollupHourRetentionDays: String?

    @Option(
        name: .customLong("ca-dir"),
        help:
            "CA directory with ca.key, ca.crt, server.key, server.crt (default: $OUTPOST_CA_DIR, ca_dir, or certs/ca).")
    var caDirectory: String?

    @Option(help: "Address the agent mTLS listener binds (default: $OUTPOST_LISTEN, listen, or 0.0.0.0:8443).")
    var listen: String?

    @Option(
        help: "Address the enrolment endpoint binds (default: $OUTPOST_ENROL_LISTEN, enrol_listen, or 0.0.0.0:8444).")
    var enrolListen: String?

    @Option(
        help:
            "Lifetime of agent certificates issued at enrolment and renewal, e.g. 30d (default: $OUTPOST_AGENT_CERT_LIFETIME, agent_certificate_lifetime, or 30d)."
    )
    var agentCertificateLifetime: String?

    @Option(
        help:
            "Address the operator HTTP server binds: /healthz, /readyz, /metrics, /api/… (default: $OUTPOST_HTTP_LISTEN, http_listen, or 127.0.0.1:8080)."
    )
    var httpListen: String?

    @Option(
        help:
            "PEM certificate chain for HTTPS on the operator port, with --http-tls-key (default: $OUTPOST_HTTP_TLS_CERT or http_tls_cert; http_tls_server_identity = true uses the collector's own)."
    )
    var httpTLSCert: String?

    @Option(help: "PEM private key of --http-tls-cert (default: $OUTPOST_HTTP_TLS_KEY or http_tls_key).")
    var httpTLSKey: String?

    @Option(
        help:
            "Origins operators' browsers use, comma-separated, e.g. https://noc.example.ge (default: $OUTPOST_HTTP_PUBLIC_ORIGIN or http_public_origin; none: the origin each request was sent to)."
    )
    var httpPublicOrigin: String?

    @Option(
        help:
            "trace, debug, info, notice, warning, error or critical (default: $OUTPOST_LOG_LEVEL, log_level, or info).")
    var logLevel: String?

    func run() async throws {
        var flags = CollectorSettings.Flags()
        flags.retentionDays = retentionDays
        flags.rollupMinuteRetentionDays = rollupMinuteRetentionDays
        flags.rollupHourRetentionDays = rollupHourRetentionDays
        flags.caDirectory = caDirectory
        flags.listen = listen
        flags.enrolListen = enrolListen
        flags.httpListen = httpListen
        flags.httpTLSCert = httpTLSCert
        flags.httpTLSKey = httpTLSKey
        flags.httpPublicOrigin = httpPublicOrigin
        flags.certificateLifetime = agentCertificateLifetime
        flags.logLevel = logLevel
        flags.masterKeyFile = masterKey.masterKeyFile
        let settings = try database.settings(flags)
        try DatabaseOptions.validating { try settings.validate() }
        let key = try DatabaseOptions.validating { try settings.masterKey() }
        let url = try settings.databaseURL()
        let retention = try settings.retentionDays()
        let rollupRetention = try settings.rollupRetentionDays()
        let agentEndpoint = try settings.listen()
        let enrolEndpoint = try settings.enrolListen()
        let certificateLifetime = try settings.certificateLifetime()
        let agentConnections = try settings.agentConnectionLimits()
        let caPath = try settings.caDirectory()
        let authority: CertificateAuthority
        let identity: CollectorServerIdentity
        do {
            authority = try CertificateAuthority.load(from: caPath)
            identity = try CollectorServerIdentity.load(from: caPath)
        } catch {
            throw ValidationError(
                "--ca-dir \(caPath): \(error) (create it with `outpost-collector ca init` and `ca issue-server`)")
        }
        let http = try DatabaseOptions.validating {
            try settings.operatorHTTP(serverIdentity: (identity.chainPEM, try identity.privateKey.pemEncoded))
        }

        // Before anything that records metrics is created.
        let metrics = CollectorMetrics.bootstrap()
        var logger = Logger(label: "outpost.collector")
        logger.logLevel = try settings.logLevel()
        try await MasterKeyCheck.verify(key, database: url, logger: logger)
        let client = PostgresClient(configuration: url.clientConfiguration, backgroundLogger: logger)
        let denyList = RevocationDenyList()
        try await RevocationWatcher.preload(database: url, into: denyList, logger: logger)
        let sessions = SessionRegistry()
        let configSubscribers = ConfigSubscribers()
        let alerts = try AlertEngine(client: client, configuration: try settings.alertEngine(), logger: logger)
        let pipeline = IngestPipeline(database: url, logger: logger, committed: alerts.observe)
        let discovery = DiscoveryDispatcher(client: client, registry: sessions, masterKey: key, logger: logger)
        let diagnostics = DiagnosticsDispatcher(
            client: client, registry: sessions, logger: logger, ended: alerts.observe(trace:))
        let tls = try AgentTLS(
            certificateChainPEM: identity.chainPEM, privateKeyPEM: try identity.privateKey.pemEncoded,
            caCertificate: authority.certificate, denyList: denyList)
        var sessionConfiguration = AgentSessionContext.Configuration()
        sessionConfiguration.neighbourEdgeMaximumAge = try settings.topologyEdgeMaximumAge()
        let listener = AgentListener(
            host: agentEndpoint.host, port: agentEndpoint.port, tls: tls,
            sessions: AgentSessionContext(
                pipeline: pipeline, client: client, registry: sessions,
                renewal: AgentCertificateRenewal(authority: authority, lifetime: certificateLifetime, logger: logger),
                configSubscribers: configSubscribers, configuration: sessionConfiguration, masterKey: key,
                discovery: discovery, diagnostics: diagnostics),
            maximumConnections: agentConnections.total, maximumConnectionsPerSource: agentConnections.perSource,
            logger: logger)
        let enrolment = EnrolmentService(
            configuration: EnrolmentServerConfiguration(
                host: enrolEndpoint.host, port: enrolEndpoint.port, certificateLifetime: certificateLifetime),
            authority: authority, identity: identity, client: client, logger: logger)
        let services: [any Service] = [
            client, pipeline, alerts, discovery, diagnostics,
            RevocationWatcher(client: client, denyList: denyList, sessions: sessions, logger: logger),
            ConfigChangeWatcher(client: client, subscribers: configSubscribers, logger: logger),
            PartitionMaintainer(
                client: client, retentionDays: retention, rollupRetention: rollupRetention, logger: logger),
            RollupMaintainer(client: client, writer: RollupWriter(logger: logger), logger: logger),
            FleetMetrics(
                client: client, certificates: FleetMetrics.certificates(server: identity, authority: authority),
                logger: logger),
            MonthlyReportMailer(client: client, configuration: try settings.monthlyReportMail(), logger: logger),
            BaselineMaintainer(client: client, writer: BaselineWriter(logger: logger), logger: logger),
            listener, enrolment,
            OperatorHTTPServer(
                configuration: http,
                client: client, sessions: sessions, ingest: pipeline, metrics: metrics, masterKey: key,
                logger: logger),
            // Last: its shutdown starts first.
            ShutdownDeadline(limit: Self.shutdownLimit, logger: logger),
        ]
        logger.info(
            "collector starting",
            metadata: [
                "database": "\(url)", "retention_days": "\(retention)",
                "rollup_retention_days": "\(rollupRetention.minute)/\(rollupRetention.hour)",
                "agents": "\(agentEndpoint)",
                "enrolment": "\(enrolEndpoint)",
                "http": "\(http.tls == nil ? "http" : "https")://\(http.host):\(http.port)",
            ])
        var configuration = ServiceGroupConfiguration(
            services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        // Services still running then are cancelled; ShutdownDeadline exits the process
        // should cancellation not end them either.
        configuration.maximumGracefulShutdownDuration = .seconds(7)
        try await ServiceGroup(configuration: configuration).run()
    }

    /// From SIGTERM to the process's exit, whatever state it is in.
    static let shutdownLimit = Duration.seconds(9)
}
