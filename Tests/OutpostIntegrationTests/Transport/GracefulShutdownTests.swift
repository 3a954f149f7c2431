import Foundation
import Logging
import OutpostAgent
import OutpostCollector
import OutpostPKI
import OutpostStore
import OutpostTestSupport
import OutpostWire
import PostgresNIO
import ServiceLifecycle
import Testing

@Suite("Collector graceful shutdown", .tags(.postgres), .needsPostgres)
struct GracefulShutdownTests {
    @Test("graceful shutdown tells connected agents to reconnect elsewhere and ends even while they stay connected")
    func shutdownEndsLiveSessions() async throws {
        try await TransportFixture.with { db, database, fixture in
            let agent = try await fixture.enrolAgent("leaving", db: db)
            let logger = Logger(label: "outpost.test.shutdown")
            let client = PostgresClient(configuration: database.url.clientConfiguration, backgroundLogger: logger)
            let pipeline = IngestPipeline(database: database.url, logger: logger)
            let tls = try AgentTLS(
                certificateChainPEM: fixture.serverChainPEM, privateKeyPEM: fixture.serverKeyPEM,
                caCertificate: fixture.ca.certificate, denyList: RevocationDenyList())
            let listener = AgentListener(
                host: "127.0.0.1", port: 0, tls: tls,
                sessions: AgentSessionContext(pipeline: pipeline, client: client), logger: logger)
            let group = ServiceGroup(
                configuration: .init(
                    services: [.init(service: client), .init(service: pipeline), .init(service: listener)],
                    logger: logger))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                let address = CollectorAddress(
                    host: "127.0.0.1", port: try await listener.boundAddress.port!, serverName: "localhost")
                try await RawAgentConnection.withSession(agent, to: address) { _, inbound, outbound in
                    let started = ContinuousClock.now
                    await group.triggerGracefulShutdown()
                    guard case .error(let notice)? = try await inbound.next() else {
                        Issue.record("no shutdown notice")
                        return
                    }
                    #expect(notice.code == .shuttingDown)
                    // This peer does not close: the collector closes it after the grace period
                    // and its service group ends.
                    while try await inbound.next() != nil {}
                    #expect(started.duration(to: .now) < .seconds(10))
                }
                try await tasks.next()
            }
        }
    }
}
