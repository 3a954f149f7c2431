import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import NIOPosix
import OutpostPKI
import PostgresNIO
import Prometheus
import ServiceLifecycle
import Synchronization

/// The collector's operator HTTP server, on a port of its own: `/healthz`, `/readyz`,
/// `/metrics` (Prometheus), the authenticated management API under `/api/v1`, and the web
/// console (every other path; see ``ConsoleRoutes``).
///
/// A ServiceLifecycle service: it stops accepting at graceful shutdown and finishes the
/// requests in progress. It writes to PostgreSQL only what operators change through the API.
public final class OperatorHTTPServer: Service, Sendable {
    /// The server stopped before it bound its address.
    public struct NotListening: Error {}

    /// The server could not start listening (address in use, unknown host, …).
    public struct CannotListen: Error, CustomStringConvertible {
        public let address: String
        public let reason: String
        public var description: String { "operator HTTP cannot listen on \(address): \(reason)" }
    }

    private let configuration: OperatorHTTPConfiguration
    private let client: PostgresClient
    private let sessions: SessionRegistry
    private let ingest: IngestPipeline?
    private let metrics: PrometheusCollectorRegistry
    private let logger: Logger
    private let masterKey: MasterKey?
    private let bound: EventLoopPromise<SocketAddress>

    /// - Parameters:
    ///   - client: the collector's database pool, run by the same service group.
    ///   - sessions: the live agent sessions (for `connected` in `/api/agents`).
    ///   - ingest: the ingest pipeline `/readyz` checks for a stall (`nil`: none in this process).
    ///   - metrics: the registry swift-metrics records into (``CollectorMetrics/bootstrap()``).
    ///   - masterKey: seals SNMP credentials set through the management API (`nil`: those routes answer 503).
    public init(
        configuration: OperatorHTTPConfiguration, client: PostgresClient, sessions: SessionRegistry,
        ingest: IngestPipeline? = nil, metrics: PrometheusCollectorRegistry, masterKey: MasterKey? = nil,
        logger: Logger
    ) {
        self.masterKey = masterKey
        self.configuration = configuration
        self.client = client
        self.sessions = sessions
        self.ingest = ingest
        self.metrics = metrics
        self.logger = logger
        self.bound = MultiThreadedEventLoopGroup.singleton.any().makePromise()
    }

    /// The address the server bound to, once it has.
    public var boundAddress: SocketAddress {
        get async throws { try await bound.futureResult.get() }
    }

    public func run() async throws {
        // A second completion of the promise is ignored: this settles it only if binding never happened.
        defer { bound.fail(NotListening()) }
        let router = Router(context: OperatorRequestContext.self)
        let database = BoundedDatabaseAccess(client: client)
        HealthRoutes(
            readiness: ReadinessProbe(
                database: database, timeout: configuration.readinessTimeout, ingest: ingest, logger: logger)
        )
        .register(on: router)
        MetricsRoute(registry: metrics).register(on: router)
        ManagementRoutes(
            configuration: configuration, database: database, sessions: sessions, logger: logger, masterKey: masterKey
        ).register(on: router)
        let consoleEvents = ConsoleEventFeed(client: client, logger: logger)
        ConsoleRoutes(
            configuration: configuration, database: database, events: consoleEvents.broadcaster, logger: logger
        )
        .register(on: router)
        let bound = self.bound
        let logger = self.logger
        let listening = Atomic(false)
        let application = Application(
            router: router,
            server: try configuration.tls.map { try .tls(.http1(), tlsConfiguration: $0) } ?? .http1(),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "outpost-collector"),
            services: [consoleEvents],
            onServerRunning: { channel in
                guard let address = channel.localAddress else { return }
                logger.info("operator HTTP listening", metadata: ["address": "\(address)"])
                listening.store(true, ordering: .relaxed)
                bound.succeed(address)
            },
            logger: logger)
        do {
            try await application.run()
        } catch {
            bound.fail(error)
            guard listening.load(ordering: .relaxed) else {
                throw CannotListen(address: "\(configuration.host):\(configuration.port)", reason: "\(error)")
            }
            throw error
        }
    }
}
