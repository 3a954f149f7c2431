import Foundation
import OutpostAgent
import OutpostCore
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostCollectorTestSupport

/// Branches, tokens and revocation in the real schema.
@Suite(.tags(.postgres), .needsPostgres) struct RegistryTests {
    @Test func addingABranchIsIdempotent() async throws {
        try await TestDatabase.withMigrated { connection, _ in
            let registry = BranchRegistry(logger: TestDatabase.logger)
            let first = try await registry.add(
                name: "Évora", displayName: "Évora (centro)", by: AuditActor(name: "test", source: "test"),
                on: connection)
            let second = try await registry.add(
                name: "Évora", by: AuditActor(name: "test", source: "test"), on: connection)
            #expect(first.created && !second.created)
            #expect(second.branch == first.branch)
            #expect(first.branch.displayName == "Évora (centro)")
            await #expect(throws: RegistryError.self) {
                try await registry.add(
                    name: String(repeating: "x", count: 65), by: AuditActor(name: "test", source: "test"),
                    on: connection)
            }
        }
    }

    @Test func tokensStoreOnlyTheHashAndNeedAKnownBranch() async throws {
        try await TestDatabase.withMigrated { connection, _ in
            let tokens = EnrolmentTokenRegistry(logger: TestDatabase.logger)
            let hash = [UInt8](repeating: 7, count: 32)
            await #expect(throws: RegistryError.unknownBranch("Nowhere")) {
                try await tokens.create(
                    secretHash: hash, branchName: "Nowhere", expiresAt: Date() + 60,
                    by: AuditActor(name: "test", source: "test"), on: connection)
            }
            _ = try await BranchRegistry(logger: TestDatabase.logger).add(
                name: "Braga", by: AuditActor(name: "test", source: "test"), on: connection)
            let record = try await tokens.create(
                secretHash: hash, branchName: "Braga", expiresAt: Date() + 60,
                by: AuditActor(name: "test", source: "test"), on: connection)
            #expect(record.state() == "valid")
            #expect(
                try await connection.strings("SELECT encode(token_hash, 'hex') FROM enrolment_tokens") == [
                    String(repeating: "07", count: 32)
                ])
            let revoked = try await tokens.revoke(
                id: record.id, by: AuditActor(name: "test", source: "test"), on: connection)
            #expect(revoked.state() == "revoked")
            #expect(try await tokens.list(on: connection).map(\.id) == [record.id])
            await #expect(throws: RegistryError.self) {
                try await tokens.revoke(id: UUID(), by: AuditActor(name: "test", source: "test"), on: connection)
            }
        }
    }

    @Test func revokingAnAgentRecordsTheSerialAndNotifiesTheAgentInOneTransaction() async throws {
        try await EnrolmentFixture.with { fixture in
            let (token, _) = try await fixture.makeToken()
            let agent = try await AgentEnrolment(token: token, stateDirectory: fixture.stateDirectory()).run()
            let registry = AgentRegistry(logger: TestDatabase.logger)
            let listener = try await fixture.database.connect()
            let payload: String? = try await listener.listen(on: AgentRegistry.revocationChannel) { notifications in
                let serials = try await registry.revoke(
                    agent.agentID, reason: "box stolen", by: AuditActor(name: "test", source: "test"),
                    on: fixture.connection)
                #expect(serials == [agent.serialNumber])
                for try await notification in notifications { return notification.payload }
                return nil
            }
            try await listener.close()
            #expect(payload == agent.agentID.description)
            #expect(try await registry.revokedSerials(on: fixture.connection) == [agent.serialNumber])
            #expect(try await registry.revokedAgents(on: fixture.connection) == [agent.agentID])
            #expect(try await registry.publicKey(of: agent.agentID, on: fixture.connection)?.isRevoked == true)
            #expect(try await fixture.connection.strings("SELECT reason FROM revoked_certificates") == ["box stolen"])
            #expect(try await registry.list(on: fixture.connection).map(\.status) == ["revoked"])
            await #expect(
                throws: RegistryError.unknownAgent(
                    AgentID(UUID(uuidString: "00000000-0000-0000-0000-000000000001")!).description)
            ) {
                try await registry.revoke(
                    AgentID(UUID(uuidString: "00000000-0000-0000-0000-000000000001")!), reason: nil,
                    by: AuditActor(name: "test", source: "test"), on: fixture.connection)
            }
        }
    }
}
