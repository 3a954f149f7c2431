import Foundation
import Logging
import OutpostAgent
import OutpostCollector
import OutpostPKI
import OutpostStore
import PostgresNIO

/// The collector's agent path, wired as `outpost-collector run` wires it (PostgreSQL pool,
/// ingest pipeline, mutual-TLS listener, revocation deny list), on a free loopback port.
struct BenchCollector {
    let authority: CertificateAuthority
    let serverKey = P256Key.generate()

    /// Runs the collector for the length of `body`, which gets the address agents dial.
    func run<T: Sendable>(
        database: DatabaseURL, logger: Logger, _ body: @Sendable (CollectorAddress) async throws -> T
    ) async throws -> T {
        let server = try authority.issueServerCertificate(
            publicKey: serverKey.publicKey, dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"])
        let chainPEM = try CertificateFile.pem(server) + CertificateFile.pem(authority.certificate)
        let denyList = RevocationDenyList()
        try await RevocationWatcher.preload(database: database, into: denyList, logger: logger)
        let client = PostgresClient(configuration: database.clientConfiguration, backgroundLogger: logger)
        var configuration = IngestPipeline.Configuration()
        // To compare writer counts side by side; the collector's default otherwise.
        if let writers = ProcessInfo.processInfo.environment["OUTPOST_BENCH_INGEST_WRITERS"].flatMap(Int.init) {
            configuration.writers = writers
        }
        let pipeline = IngestPipeline(database: database, configuration: configuration, logger: logger)
        let tls = try AgentTLS(
            certificateChainPEM: chainPEM, privateKeyPEM: try serverKey.pemEncoded,
            caCertificate: authority.certificate, denyList: denyList)
        let listener = AgentListener(
            host: "127.0.0.1", port: 0, tls: tls,
            sessions: AgentSessionContext(pipeline: pipeline, client: client), logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            group.addTask { try await pipeline.run() }
            group.addTask { try await listener.run() }
            defer { group.cancelAll() }
            let port = try await listener.boundAddress.port!
            return try await body(CollectorAddress(host: "127.0.0.1", port: port, serverName: "localhost"))
        }
    }
}
