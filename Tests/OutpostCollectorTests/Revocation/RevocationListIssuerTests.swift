import Foundation
import OutpostAgent
import OutpostCollector
import OutpostPKI
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostCollectorTestSupport

/// The CRL of `revoked_certificates` (`outpost-collector ca crl`), checked by `openssl`.
@Suite(.tags(.postgres), .needsPostgres) struct RevocationListIssuerTests {
    @Test func crlOfTheDatabaseRefusesTheRevokedAgentOnly() async throws {
        try await EnrolmentFixture.with { fixture in
            let revokedState = fixture.stateDirectory()
            let keptState = fixture.stateDirectory()
            let revoked = try await AgentEnrolment(token: try await fixture.makeToken().0, stateDirectory: revokedState)
                .run()
            let kept = try await AgentEnrolment(token: try await fixture.makeToken().0, stateDirectory: keptState).run()
            let registry = AgentRegistry(logger: TestDatabase.logger)
            try await fixture.connection.query(
                "INSERT INTO revoked_certificates (serial, revoked_at, reason) VALUES ('0a1b2c', now() - interval '1 day', 'box stolen')",
                logger: TestDatabase.logger)
            try await registry.revoke(
                revoked.agentID, reason: "keyCompromise", by: AuditActor(name: "test", source: "test"),
                on: fixture.connection)

            let records = try await registry.revokedCertificates(on: fixture.connection)
            #expect(records.map(\.serial) == ["0a1b2c", revoked.serialNumber])
            #expect(records.map(\.reason) == ["box stolen", "keyCompromise"])
            #expect(abs(records[1].revokedAt.timeIntervalSinceNow) < 60)

            let list = try await RevocationListIssuer.issue(
                authority: fixture.authority, on: fixture.connection, logger: TestDatabase.logger)
            let directory = fixture.directory
            try list.save(to: "\(directory)/crl.pem")
            try (try fixture.authority.certificatePEM).write(
                toFile: "\(directory)/ca.crt", atomically: false, encoding: .utf8)

            let text = try await OpenSSL.run(["crl", "-in", "\(directory)/crl.pem", "-noout", "-text"])
            #expect(text.status == 0, "\(text.combined)")
            #expect(text.combined.contains("Serial Number: 0A1B2C"))
            #expect(text.combined.contains("Serial Number: \(revoked.serialNumber.uppercased())"))
            #expect(!text.combined.contains(kept.serialNumber.uppercased()))
            // Only an RFC 5280 reason name becomes a reasonCode.
            #expect(text.combined.components(separatedBy: "X509v3 CRL Reason Code:").count == 2)
            #expect(text.combined.contains("Key Compromise"))

            let refused = try await OpenSSL.run([
                "verify", "-crl_check", "-CAfile", "\(directory)/ca.crt", "-CRLfile", "\(directory)/crl.pem",
                revokedState.certificatePath,
            ])
            #expect(refused.status != 0)
            #expect(refused.combined.contains("certificate revoked"))
            let accepted = try await OpenSSL.run([
                "verify", "-crl_check", "-CAfile", "\(directory)/ca.crt", "-CRLfile", "\(directory)/crl.pem",
                keptState.certificatePath,
            ])
            #expect(accepted.status == 0, "\(accepted.combined)")

            // A serial that is not hex would silently drop out of the CRL: refuse instead.
            try await fixture.connection.query(
                "INSERT INTO revoked_certificates (serial) VALUES ('not-hex')", logger: TestDatabase.logger)
            let error = await #expect(throws: RevocationListIssuerError.self) {
                try await RevocationListIssuer.issue(
                    authority: fixture.authority, on: fixture.connection, logger: TestDatabase.logger)
            }
            #expect(error?.serial == "not-hex")
        }
    }
}
