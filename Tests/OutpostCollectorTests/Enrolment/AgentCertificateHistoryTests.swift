import Foundation
import Logging
import OutpostAgent
import OutpostCore
import OutpostPKI
import OutpostStore
import OutpostTestSupport
import OutpostWire
import PostgresNIO
import Testing
import X509

@testable import OutpostCollector
@testable import OutpostCollectorTestSupport

/// `agent_certificates`: every certificate issued to an agent, what limits its renewals and what
/// its revocation revokes (`agents revoke`, `ca crl`).
@Suite(
    "Agent certificate history: renewals limited per hour, revocation of every serial", .tags(.postgres), .needsPostgres
)
struct AgentCertificateHistoryTests {
    static let logger = Logger(label: "outpost.test.certificates")

    @Test(
        "enrolment and renewals are recorded, a renewal past the hourly limit is refused, and revoking the agent revokes and lists every serial"
    )
    func renewalsAndRevocation() async throws {
        try await EnrolmentFixture.with { fixture in
            let state = fixture.stateDirectory()
            let enrolled = try await AgentEnrolment(token: try await fixture.makeToken().0, stateDirectory: state).run()
            let credentials = try state.loadCredentials()
            #expect(
                try await fixture.connection.strings("SELECT serial || ' ' || renewal FROM agent_certificates") == [
                    "\(enrolled.serialNumber) false"
                ])

            let client = PostgresClient(
                configuration: fixture.database.url.clientConfiguration, backgroundLogger: Self.logger)
            var serials = [enrolled.serialNumber]
            var renewedPaths: [String] = []
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                defer { group.cancelAll() }
                let renewal = AgentCertificateRenewal(
                    authority: fixture.authority, maximumPerHour: 2, logger: Self.logger)
                let request = { RenewRequest(csrDER: try credentials.privateKey.makeCertificateSigningRequest()) }
                for index in 0..<2 {
                    let response = try await renewal.renew(enrolled.agentID, request: try request(), client: client)
                    let certificate = try Certificate(derEncoded: try #require(response.certificateChainDER.first))
                    serials.append(certificate.serialNumber.hexString)
                    let path = "\(fixture.directory)/renewed-\(index).crt"
                    try certificate.serializeAsPEM().pemString.write(toFile: path, atomically: false, encoding: .utf8)
                    renewedPaths.append(path)
                }
                let refusal = await #expect(throws: AgentCertificateRenewal.Refusal.self) {
                    try await renewal.renew(enrolled.agentID, request: try request(), client: client)
                }
                #expect(refusal?.description.contains("2 times within the last hour") == true)
                // The ledger enforces the limit too (two renewals racing past the first check).
                #expect(
                    try await AgentRenewalLedger(logger: Self.logger).recordRenewal(
                        of: enrolled.agentID, publicKey: try Self.registeredKey(enrolled.agentID, fixture.connection),
                        serial: "0bad",
                        notAfter: Date() + 86_400, maximumPerHour: 2, on: fixture.connection) == .rateLimited)
            }
            #expect(
                try await fixture.connection.strings(
                    "SELECT serial FROM agent_certificates ORDER BY issued_at, renewal") == serials)
            #expect(
                try await fixture.connection.strings(
                    "SELECT renewal::text FROM agent_certificates ORDER BY issued_at, renewal") == [
                        "false", "true", "true",
                    ])
            #expect(try await fixture.connection.strings("SELECT cert_serial FROM agents") == [serials[2]])

            let registry = AgentRegistry(logger: Self.logger)
            let revoked = try await registry.revoke(
                enrolled.agentID, reason: "keyCompromise", by: AuditActor(name: "test", source: "test"),
                on: fixture.connection)
            #expect(revoked == serials)
            #expect(try await registry.revokedSerials(on: fixture.connection) == Set(serials))
            #expect(
                try await fixture.connection.strings("SELECT DISTINCT agent_id::text FROM revoked_certificates") == [
                    enrolled.agentID.uuid.uuidString.lowercased()
                ])

            let list = try await RevocationListIssuer.issue(
                authority: fixture.authority, on: fixture.connection, logger: Self.logger)
            try list.save(to: "\(fixture.directory)/crl.pem")
            try (try fixture.authority.certificatePEM).write(
                toFile: "\(fixture.directory)/ca.crt", atomically: false, encoding: .utf8)
            let text = try await OpenSSL.run(["crl", "-in", "\(fixture.directory)/crl.pem", "-noout", "-text"])
            for serial in serials {
                #expect(text.combined.contains("Serial Number: \(serial.uppercased())"), "\(serial) not in the CRL")
            }
            for path in [state.certificatePath] + renewedPaths {
                let verdict = try await OpenSSL.run([
                    "verify", "-crl_check", "-CAfile", "\(fixture.directory)/ca.crt", "-CRLfile",
                    "\(fixture.directory)/crl.pem", path,
                ])
                #expect(
                    verdict.status != 0 && verdict.combined.contains("certificate revoked"),
                    "\(path): \(verdict.combined)")
            }
        }
    }

    @Test("migration 11 records the current certificate of every agent enrolled before it")
    func backfill() async throws {
        try await TestDatabase.withEmpty { connection, _ in
            _ = try await MigrationRunner(migrations: Migration.all.filter { $0.version < 11 }, logger: Self.logger)
                .migrate(on: connection)
            // A schema of migration 10: no audit log yet, so the branch is inserted by hand.
            try await connection.query(
                """
                WITH branch AS (INSERT INTO branches (name, display_name) VALUES ('Faro', 'Faro') RETURNING id)
                INSERT INTO agents (id, branch_id, public_key, cert_serial, cert_not_after, enrolled_at)
                SELECT gen_random_uuid(), id, '\\x04'::bytea, '0c0ffee0', '2030-01-01Z', '2026-01-01Z' FROM branch
                """, logger: Self.logger)
            _ = try await MigrationRunner(logger: Self.logger).migrate(on: connection)
            #expect(
                try await connection.strings(
                    """
                    SELECT c.serial || ' ' || c.renewal || ' ' || (c.issued_at = a.enrolled_at) || ' ' || (c.not_after = a.cert_not_after)
                    FROM agent_certificates c JOIN agents a ON a.id = c.agent_id
                    """) == ["0c0ffee0 false true true"])
        }
    }

    private static func registeredKey(_ agent: AgentID, _ connection: PostgresConnection) async throws -> [UInt8] {
        let rows = try await connection.query("SELECT public_key FROM agents WHERE id = \(agent.uuid)", logger: logger)
        for try await key in rows.decode(Data.self) { return Array(key) }
        throw RegistryError.unknownAgent(agent.description)
    }
}
