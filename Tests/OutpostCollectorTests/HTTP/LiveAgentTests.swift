import Foundation
import Logging
import OutpostAgent
import OutpostCollector
import OutpostCore
import OutpostTestSupport
import Testing

@Suite("Operator HTTP with a live agent over mutual TLS")
struct LiveAgentTests {
    static let logger = Logger(label: "outpost.test.http.live")

    /// Polls `condition` until it holds or `seconds` pass (no event tells when a remote session
    /// starts or ends); returns whether it held.
    static func eventually(within seconds: Double = 30, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }

    @Test("a connected agent is shown connected with its Hello's version, session and ingest metrics follow, and it is shown disconnected after it leaves")
    func connectedAgent() async throws {
        try await TestDatabase.withMigrated { db, database in
            let fixture = try await TransportFixture(db: db)
            let credentials = try await fixture.enrolAgent("agent-http", db: db)
            let devices = try await fixture.addDevices(3, db: db)
            let spool = try Spool.open(directory: fixture.directory + "/spool", logger: Self.logger)
            let start = Date()
            for index in 0..<20 {
                _ = try await spool.append(resultCount: 3) { sequence in
                    try TransportFixture.signedBatch(credentials, sequence: sequence, devices: devices, at: start + Double(index)).serializedBytes
                }
            }
            let http = OperatorHTTPFixture()
            try await http.withServer(database: database.url) { client in
                try await fixture.withCollector(database: database.url, sessions: http.sessions, metricsFactory: http.metricsFactory) { address in
                    let uplink = Uplink(configuration: .init(collectors: [address]), identity: try UplinkIdentity(stateDirectory: fixture.stateDirectory(of: "agent-http")), spool: spool,
                                        logger: Self.logger, configurationVersion: { nil }, applyConfiguration: { _ in })
                    let task = Task { await uplink.run() }
                    defer { task.cancel() }

                    let committed = try await Self.eventually {
                        PrometheusText(text: try await client.get("/metrics").text).value("outpost_ingest_batches_total") == 20
                    }
                    #expect(committed)
                    let metrics = PrometheusText(text: try await client.get("/metrics").text)
                    #expect(metrics.value("outpost_agent_sessions") == 1)
                    #expect(metrics.value("outpost_ingest_rows_total") == 60)
                    #expect(metrics.value("outpost_agent_connections_rejected_total") == 0)
                    #expect(metrics.value("outpost_batch_verification_failures_total") == 0)
                    #expect(metrics.value("outpost_batches_refused_total") == 0)

                    let agent = try #require(try await client.get("/api/agents").list("agents").first)
                    #expect(agent["id"] as? String == credentials.agentID.description)
                    #expect(agent["connected"] as? Bool == true)
                    #expect(agent["version"] as? String == Uplink.Configuration(collectors: [address]).agentVersion)
                    #expect(agent["last_seen"] is String)

                    let pinged = try await client.get("/api/devices?branch=tbilisi-1").list("devices")
                    #expect(pinged.count == 3)
                    #expect(pinged.allSatisfy { $0["state"] as? String == "up" })
                    #expect(pinged.allSatisfy { ($0["latest_ping"] as? [String: Any])?["timestamp"] as? String == (start + 19).formatted(.iso8601) })

                    task.cancel()
                    await task.value
                    let gone = try await Self.eventually {
                        try await client.get("/api/agents").list("agents").first?["connected"] as? Bool == false
                    }
                    #expect(gone)
                    #expect(try await Self.eventually {
                        PrometheusText(text: try await client.get("/metrics").text).value("outpost_agent_sessions") == 0
                    })
                }
            }
        }
    }
}
