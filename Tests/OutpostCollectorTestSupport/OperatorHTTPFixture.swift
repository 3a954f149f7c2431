import Logging
import OutpostCollector
import OutpostPKI
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Prometheus
import ServiceLifecycle

/// An operator HTTP server on a free loopback port with its own metrics registry, so each test
/// sees only the metrics it caused.
struct OperatorHTTPFixture {
    static let logger = Logger(label: "outpost.test.http")

    let registry = PrometheusCollectorRegistry()
    let sessions = SessionRegistry()
    /// The master key the server seals SNMP credentials with (`nil`: none).
    var masterKey: MasterKey? = nil

    /// The factory the components under test record into (exported by this fixture's `/metrics`).
    var metricsFactory: PrometheusMetricsFactory { CollectorMetrics.factory(registry: registry) }

    /// Runs a server of a new fixture on a new database, migrated or left empty, for the length of
    /// `body`, which gets a connection to that database and a client of the server.
    static func withServer(
        onNewDatabase migrated: Bool, masterKey: MasterKey? = nil,
        _ body: @escaping @Sendable (PostgresConnection, HTTPTestClient) async throws -> Void
    ) async throws {
        let run = { (db: PostgresConnection, database: TestDatabase) in
            try await OperatorHTTPFixture(masterKey: masterKey).withServer(database: database.url) { http in
                try await body(db, http)
            }
        }
        if migrated { try await TestDatabase.withMigrated(run) } else { try await TestDatabase.withEmpty(run) }
    }

    /// Runs the server against `database` (its own pool) for the length of `body`.
    func withServer(
        database: DatabaseURL, readinessTimeout: Duration = .seconds(15),
        configure: (inout OperatorHTTPConfiguration) -> Void = { _ in },
        _ body: @Sendable (HTTPTestClient) async throws -> Void
    ) async throws {
        // A few connections each: dozens of these servers run at once during a test run.
        var clientConfiguration = database.clientConfiguration
        clientConfiguration.options.maximumConnections = 6
        let client = PostgresClient(configuration: clientConfiguration, backgroundLogger: Self.logger)
        var configuration = OperatorHTTPConfiguration(host: "127.0.0.1", port: 0)
        configuration.readinessTimeout = readinessTimeout
        configuration.queryTimeout = readinessTimeout
        configuration.passwordCost = 4
        configure(&configuration)
        let server = OperatorHTTPServer(
            configuration: configuration, client: client, sessions: sessions, metrics: registry, masterKey: masterKey,
            logger: Self.logger)
        // As `outpost-collector run` does: a service group, stopped by graceful shutdown, which
        // the server must honour for this to return.
        let services = ServiceGroup(configuration: .init(services: [client, server], logger: Self.logger))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            do {
                guard let port = try await server.boundAddress.port else { throw HTTPTestError("server bound no port") }
                try await body(HTTPTestClient(base: "http://127.0.0.1:\(port)"))
            } catch {
                group.cancelAll()
                throw error
            }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
        }
    }
}
