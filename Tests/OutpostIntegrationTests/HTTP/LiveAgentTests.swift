import Foundation
import Logging
import OutpostAgent
import OutpostCollector
import OutpostCore
import OutpostTestSupport
import Testing

@testable import OutpostCollectorTestSupport

@Suite("Operator HTTP with a live agent over mutual TLS", .tags(.postgres), .needsPostgres)
struct LiveAgentTests {
    static let logger = Logger(label: "outpost.test.http.live")

    @Test(
        "a connected agent is shown connected with its Hello's version, session and ingest metrics follow, and it is shown disconnected after it leaves"
    )
    func connectedAgent() async throws {
        try await TransportFixture.withAgent("agent-http", devices: 3) { db, database, fixture, credentials, devices in
            let spool = try Spool.open(directory: fixture.directory + "/spool", logger: Self.logger)
            let start = Date()
            try await TransportFixture.spool(
                (0..<20).map { start + Double($0) }, of: credentials, devices: devices, into: spool)
            let http = OperatorHTTPFixture()
            try await http.withServer(database: database.url) { anonymous in
                let client = try await OperatorAccounts.admin(anonymous, on: db)
                try await fixture.withCollector(
                    database: database.url, sessions: http.sessions, metricsFactory: http.metricsFactory
                ) { address in
                    let uplink = Uplink(
                        configuration: .init(collectors: [address]),
                        identity: try UplinkIdentity(stateDirectory: fixture.stateDirectory(of: "agent-http")),
                        spool: spool,
                        logger: Self.logger, configurationVersion: { nil }, applyConfiguration: { _ in })
                    let task = Task { await uplink.run() }
                    defer { task.cancel() }

                    let committed = try await eventually {
                        PrometheusText(text: try await client.get("/metrics").text).value(
                            "outpost_ingest_batches_total") == 20
                    }
                    #expect(committed)
                    let metrics = PrometheusText(text: try await client.get("/metrics").text)
                    #expect(metrics.value("outpost_agent_sessions") == 1)
                    #expect(metrics.value("outpost_ingest_rows_total") == 60)
                    #expect(metrics.value("outpost_agent_connections_rejected_total") == 0)
                    #expect(metrics.value("outpost_batch_verification_failures_total") == 0)
                    #expect(metrics.value("outpost_batches_refused_total") == 0)

                    let agent = try #require(try await client.get("/api/v1/agents").list("agents").first)
                    #expect(agent["id"] as? String == credentials.agentID.description)
                    #expect(agent["connected"] as? Bool == true)
                    #expect(agent["version"] as? String == Uplink.Configuration(collectors: [address]).agentVersion)
                    #expect(agent["last_seen"] is String)

                    let pinged = try await client.get("/api/v1/status/devices?branch=tbilisi-1").list("devices")
                    #expect(pinged.count == 3)
                    #expect(pinged.allSatisfy { $0["state"] as? String == "up" })
                    #expect(
                        pinged.allSatisfy {
                            ($0["latest_ping"] as? [String: Any])?["timestamp"] as? String
                                == (start + 19).formatted(.iso8601)
                        })

                    task.cancel()
                    await task.value
                    let gone = try await eventually {
                        try await client.get("/api/v1/agents").list("agents").first?["connected"] as? Bool == false
                    }
                    #expect(gone)
                    #expect(
                        try await eventually {
                            PrometheusText(text: try await client.get("/metrics").text).value("outpost_agent_sessions")
                                == 0
                        })
                }
            }
        }
    }
}
