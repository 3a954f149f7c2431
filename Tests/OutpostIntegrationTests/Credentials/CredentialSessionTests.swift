import Foundation
import Logging
import OutpostCollector
import OutpostCore
import OutpostPKI
import OutpostStore
import OutpostTestSupport
import OutpostWire
import Testing

@testable import OutpostCollectorTestSupport

@Suite("Credentials over an agent session", .tags(.postgres), .needsPostgres)
struct CredentialSessionTests {
    @Test(
        "over mutual TLS, an agent receives credentials for its own branch's devices only; no secret reaches the logs")
    func agentReceivesOwnCredentials() async throws {
        try await TestDatabase.withMigrated { db, database in
            let logs = CapturedLogs()
            let transport = try await TransportFixture(db: db)
            let credentials = try await CredentialFixture(db: db)
            let agent = try await transport.enrolAgent("agent-a", db: db)
            try await db.query(
                "UPDATE agents SET branch_id = \(credentials.branchA) WHERE id = \(agent.agentID.uuid)",
                logger: CredentialFixture.logger)

            let logger = logs.logger(label: "outpost.test.collector")
            try await MasterKeyCheck.verify(credentials.key, database: database.url, logger: logger)
            try await transport.withCollector(database: database.url, masterKey: credentials.key, logger: logger) {
                address in
                try await RawAgentConnection.withSession(agent, to: address) { snapshot, inbound, outbound in
                    let configuration = try AgentConfiguration(encoded: snapshot.payload)
                    #expect(Set(configuration.devices.map(\.id)) == [credentials.routerA, credentials.switchA])
                    #expect(
                        configuration.devices.first { $0.id == credentials.routerA }?.snmp
                            == .community(CredentialFixture.communityA))
                    #expect(
                        configuration.devices.first { $0.id == credentials.switchA }?.snmp?.authKey
                            == CredentialFixture.authKeyA)
                    #expect(!String(decoding: snapshot.payload, as: UTF8.self).contains(CredentialFixture.communityB))

                    // The session keeps serving after the Config.
                    try await outbound.write(.heartbeat(Heartbeat(timestamp: Date())))
                    guard case .heartbeat = try await inbound.next() else {
                        Issue.record("no Heartbeat")
                        return
                    }
                }
            }
            let lines = logs.all
            #expect(lines.contains { $0.contains("master key verified") }, "the capture works")
            #expect(lines.count > 5)
            for secret in CredentialFixture.secrets {
                #expect(!lines.contains { $0.contains(secret) }, "a log line contains \(secret)")
            }
        }
    }
}
