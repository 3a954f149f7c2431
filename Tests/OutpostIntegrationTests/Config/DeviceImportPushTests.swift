import Foundation
import Logging
import OutpostAgent
import OutpostCore
import OutpostTestSupport
import Testing

@testable import OutpostCollectorTestSupport

@Suite(
    "Devices imported over the API reach the branch's agent", .tags(.postgres, .timing), .needsPostgres,
    .needsQuietMachine)
struct DeviceImportPushTests {
    static let logger = Logger(label: "outpost.test.import-push")

    @Test("a CSV imported through the API is in the agent's configuration within 5 s")
    func importedDevicesArePushed() async throws {
        try await TransportFixture.withAgent("agent-csv", devices: 1) { db, database, fixture, credentials, _ in
            let stateDirectory = "\(fixture.directory)/agent-csv"
            try await fixture.withCollector(database: database.url) { address in
                let agent = try AgentService(
                    stateDirectory: stateDirectory, uplink: .init(collectors: [address]), logger: Self.logger)
                let running = Task { try await agent.run() }
                defer { running.cancel() }
                try await ConfigPushTests.awaitConfiguration(of: credentials, in: stateDirectory) {
                    $0?.devices.count == 1
                }
                try await OperatorHTTPFixture().withServer(database: database.url) { anonymous in
                    let admin = try await OperatorAccounts.admin(anonymous, on: db)
                    let csv = """
                        branch,name,ip
                        tbilisi-1,imported-1,127.0.1.71
                        tbilisi-1,imported-2,127.0.1.72

                        """
                    let importedAt = Date()
                    let reply = try await admin.send(
                        "POST", "/api/v1/devices/import", body: Data(csv.utf8), contentType: "text/csv")
                    #expect(reply.status == 200, "\(reply.text)")
                    try await ConfigPushTests.awaitConfiguration(of: credentials, in: stateDirectory) {
                        Set($0?.devices.map(\.address) ?? []).isSuperset(of: ["127.0.1.71", "127.0.1.72"])
                    }
                    let delay = Date().timeIntervalSince(importedAt)
                    Self.logger.notice("imported devices in the agent's configuration \(delay) s after the import")
                    #expect(delay < 5, "imported devices reached the agent \(delay) s after the import")
                }
            }
        }
    }
}
