import Foundation
import Logging
import Metrics
import NIOCore
import OutpostAgent
import OutpostCollector
import OutpostCore
import OutpostPKI
import OutpostStore
import OutpostTestSupport
import OutpostWire
import PostgresNIO
import ServiceLifecycle
import X509

/// A CA, a collector identity and enrolled agents registered in a test database: everything an
/// agent↔collector test needs, with real certificates and real rows.
struct TransportFixture {
    let ca: CertificateAuthority
    let serverChainPEM: String
    let serverKeyPEM: String
    let directory: String
    let branchID: UUID

    init(db: PostgresConnection) async throws {
        let testCA = try TestCA()
        let server = try testCA.issueServer()
        ca = testCA.ca
        serverChainPEM = server.chainPEM
        serverKeyPEM = try server.key.pemEncoded
        directory = NSTemporaryDirectory() + "outpost-transport-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        branchID = try await Fixture.branch("tbilisi-1", displayName: "Tbilisi 1", on: db)
    }

    /// Runs `body` on a new migrated database holding a new fixture.
    static func with<T>(_ body: (PostgresConnection, TestDatabase, TransportFixture) async throws -> T) async throws
        -> T
    {
        try await TestDatabase.withMigrated { db, database in
            try await body(db, database, try await TransportFixture(db: db))
        }
    }

    /// Runs `body` on a new migrated database holding a new fixture, one agent enrolled as
    /// `name` and `devices` devices on loopback addresses in its branch.
    static func withAgent<T>(
        _ name: String, devices count: Int,
        _ body: (PostgresConnection, TestDatabase, TransportFixture, AgentCredentials, [DeviceID]) async throws -> T
    ) async throws -> T {
        try await with { db, database, fixture in
            let credentials = try await fixture.enrolAgent(name, db: db)
            let devices = try await fixture.addDevices(count, db: db)
            return try await body(db, database, fixture, credentials, devices)
        }
    }

    /// The state directory of the agent enrolled as `name`.
    func stateDirectory(of name: String) -> AgentStateDirectory {
        AgentStateDirectory(path: "\(directory)/\(name)")
    }

    /// Enrols an agent directly through the CA (certificate valid for `lifetime`) and registers
    /// it; returns its credentials.
    func enrolAgent(
        _ name: String, lifetime: TimeInterval = PKIDefaults.agentCertificateLifetime, db: PostgresConnection
    ) async throws -> AgentCredentials {
        let state = stateDirectory(of: name)
        try FileManager.default.createDirectory(atPath: state.path, withIntermediateDirectories: true)
        let key = try state.createKey()
        let issued = try ca.issueAgentCertificate(
            csr: try key.makeCertificateSigningRequest(), branch: "tbilisi-1", lifetime: lifetime)
        try state.storeEnrolment(certificate: issued.certificate, caCertificate: ca.certificate)
        try await db.query(
            """
            INSERT INTO agents (id, branch_id, name, public_key, cert_serial, cert_not_after)
            VALUES (\(issued.agentID.uuid), \(branchID), \(name), \(ByteBuffer(bytes: issued.publicKeyDER)), \(issued.serialNumber.hexString), \(issued.notValidAfter))
            """, logger: TestDatabase.logger)
        return try state.loadCredentials()
    }

    /// Adds `count` devices on loopback addresses to the branch.
    func addDevices(_ count: Int, db: PostgresConnection) async throws -> [DeviceID] {
        var devices: [DeviceID] = []
        for index in 0..<count {
            devices.append(
                DeviceID(try await Fixture.device("dev\(index)", ip: "127.0.1.\(index + 1)", branch: branchID, on: db)))
        }
        return devices
    }

    /// Runs a collector (pipeline + mTLS listener on a free loopback port) for the length of `body`,
    /// registering its sessions in `sessions` and recording its metrics with `metricsFactory`;
    /// with `discovery`, it also runs a discovery dispatcher so configured. `port` 0 picks a free port.
    func withCollector(
        database: DatabaseURL, port: Int = 0, masterKey: MasterKey? = nil,
        logger: Logger = Logger(label: "outpost.test.collector"),
        sessions: SessionRegistry = SessionRegistry(), metricsFactory: any MetricsFactory = MetricsSystem.factory,
        discovery: DiscoveryDispatcher.Configuration? = nil, diagnostics: DiagnosticsDispatcher.Configuration? = nil,
        _ body: @Sendable (CollectorAddress) async throws -> Void
    ) async throws {
        let denyList = RevocationDenyList()
        try await RevocationWatcher.preload(database: database, into: denyList, logger: logger)
        let client = PostgresClient(configuration: database.clientConfiguration, backgroundLogger: logger)
        let pipeline = IngestPipeline(database: database, logger: logger, metricsFactory: metricsFactory)
        let tls = try AgentTLS(
            certificateChainPEM: serverChainPEM, privateKeyPEM: serverKeyPEM, caCertificate: ca.certificate,
            denyList: denyList)
        let configSubscribers = ConfigSubscribers()
        let dispatcher = discovery.map {
            DiscoveryDispatcher(
                client: client, registry: sessions, masterKey: masterKey, configuration: $0, logger: logger)
        }
        let diagnostician = diagnostics.map {
            DiagnosticsDispatcher(client: client, registry: sessions, configuration: $0, logger: logger)
        }
        let context = AgentSessionContext(
            pipeline: pipeline, client: client, registry: sessions,
            renewal: AgentCertificateRenewal(authority: ca, logger: logger),
            configSubscribers: configSubscribers, masterKey: masterKey, discovery: dispatcher,
            diagnostics: diagnostician, metricsFactory: metricsFactory)
        let listener = AgentListener(host: "127.0.0.1", port: port, tls: tls, sessions: context, logger: logger)
        let revocations = RevocationWatcher(client: client, denyList: denyList, sessions: sessions, logger: logger)
        let configChanges = ConfigChangeWatcher(client: client, subscribers: configSubscribers, logger: logger)
        // Stopped as the collector process stops: graceful shutdown in reverse order, so the
        // listener (and its sessions) end while the database pool still serves them.
        let services = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: client), .init(service: pipeline), .init(service: revocations),
                    .init(service: configChanges),
                ] + (dispatcher.map { [.init(service: $0)] } ?? [])
                    + (diagnostician.map { [.init(service: $0)] } ?? []) + [.init(service: listener)],
                logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            let outcome: Result<Void, any Error>
            do {
                let port = try await listener.boundAddress.port!
                try await body(CollectorAddress(host: "127.0.0.1", port: port, serverName: "localhost"))
                outcome = .success(())
            } catch {
                outcome = .failure(error)
            }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            try outcome.get()
        }
    }

    /// Appends to `spool` one signed batch of `credentials` per time in `times`, with one result
    /// per device of `devices`, as the agent's scheduler would.
    static func spool(
        _ times: some Sequence<Date>, of credentials: AgentCredentials, devices: [DeviceID], into spool: Spool
    ) async throws {
        for time in times {
            _ = try await spool.append(resultCount: UInt32(devices.count)) { sequence in
                try signedBatch(credentials, sequence: sequence, devices: devices, at: time).serializedBytes
            }
        }
    }

    /// A signed batch of ping rounds for `devices`.
    static func signedBatch(
        _ credentials: AgentCredentials, sequence: BatchSequence, devices: [DeviceID], at time: Date
    ) throws -> SignedBatch {
        let rounds = devices.enumerated().map { index, device in
            PingRoundResult(
                deviceID: device, deviceIP: "127.0.1.\(index + 1)", timestamp: time, packetsSent: 3, packetsReceived: 3,
                minRTT: 0.05, avgRTT: 0.06, maxRTT: 0.07, stddevRTT: 0.01)
        }
        let batch = Batch(
            agentID: credentials.agentID, sequence: sequence, createdAt: time, pingResults: rounds, itemSamples: [],
            genericResults: [])
        return try SignedBatch.sign(batch, with: credentials.privateKey.signingKey())
    }
}
