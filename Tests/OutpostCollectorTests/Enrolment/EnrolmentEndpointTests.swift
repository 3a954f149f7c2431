import Foundation
import OutpostCollector
import OutpostCore
import OutpostPKI
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing
import X509

@testable import OutpostAgent
@testable import OutpostCollectorTestSupport

/// The enrolment endpoint against real peers: the agent's enrolment client over TLS on loopback,
/// the real PostgreSQL schema, and `openssl` checking the issued certificate.
@Suite(.tags(.postgres, .timing), .needsPostgres, .needsQuietMachine) struct EnrolmentEndpointTests {
    /// Why the collector of `fixture` refuses an agent's enrolment with `token`; `nil`, with an
    /// issue recorded at `sourceLocation`, when it does not refuse it.
    static func refusal(
        of token: EnrolmentToken, in fixture: EnrolmentFixture, sourceLocation: SourceLocation = #_sourceLocation
    ) async -> EnrolmentRejection.Reason? {
        await #expect(throws: EnrolmentRejection.self, sourceLocation: sourceLocation) {
            try await AgentEnrolment(token: token, stateDirectory: fixture.stateDirectory()).run()
        }?.reason
    }

    @Test func enrolsAnAgentEndToEnd() async throws {
        try await EnrolmentFixture.with { fixture in
            let (token, record) = try await fixture.makeToken()
            let state = fixture.stateDirectory()
            let result = try await AgentEnrolment(token: token, stateDirectory: state).run()

            #expect(result.branch == EnrolmentFixture.branch)
            #expect(result.caFingerprint == fixture.authority.fingerprint)
            let credentials = try state.loadCredentials()
            #expect(credentials.agentID == result.agentID)
            #expect(credentials.caCertificate == fixture.authority.certificate)
            let keyMode = try FileManager.default.attributesOfItem(atPath: state.keyPath)[.posixPermissions] as? Int
            #expect(keyMode == 0o600)
            let lifetime = credentials.certificate.notValidAfter.timeIntervalSince(Date())
            #expect(abs(lifetime - PKIDefaults.agentCertificateLifetime) < 300)

            // The database: the agent row and the consumed token.
            let key = try #require(
                try await AgentRegistry(logger: TestDatabase.logger).publicKey(
                    of: result.agentID, on: fixture.connection))
            #expect(key.publicKeyDER == Array(credentials.certificate.publicKey.subjectPublicKeyInfoBytes))
            #expect(!key.isRevoked)
            let agents = try await AgentRegistry(logger: TestDatabase.logger).list(on: fixture.connection)
            #expect(agents.map(\.certificateSerial) == [result.serialNumber])
            #expect(agents.map(\.branchName) == [EnrolmentFixture.branch])
            let consumed = try await fixture.record(of: record.id)
            #expect(consumed.usedAt != nil)
            #expect(consumed.usedByAgent == result.agentID)

            // An independent implementation accepts the chain.
            let verify = try await OpenSSL.run(["verify", "-CAfile", state.caCertificatePath, state.certificatePath])
            #expect(verify.status == 0, "openssl verify: \(verify.combined)")
            #expect(verify.combined.contains("OK"))

            #expect(!fixture.logs.mention(token))
            #expect(
                fixture.logs.all.contains { $0.contains("agent enrolled") && $0.contains(result.agentID.description) })
        }
    }

    @Test func refusesAReusedToken() async throws {
        try await EnrolmentFixture.with { fixture in
            let (token, _) = try await fixture.makeToken()
            _ = try await AgentEnrolment(token: token, stateDirectory: fixture.stateDirectory()).run()
            #expect(await Self.refusal(of: token, in: fixture) == .tokenAlreadyUsed)
            #expect(try await fixture.agentCount() == 1)
            #expect(!fixture.logs.mention(token))
        }
    }

    @Test func refusesAnExpiredToken() async throws {
        try await EnrolmentFixture.with { fixture in
            let (token, record) = try await fixture.makeToken()
            try await fixture.connection.query(
                "UPDATE enrolment_tokens SET created_at = now() - interval '2 hours', expires_at = now() - interval '1 hour' WHERE id = \(record.id)",
                logger: TestDatabase.logger)
            #expect(await Self.refusal(of: token, in: fixture) == .tokenExpired)
            #expect(try await fixture.agentCount() == 0)
        }
    }

    @Test func refusesARevokedToken() async throws {
        try await EnrolmentFixture.with { fixture in
            let (token, record) = try await fixture.makeToken()
            let revoked = try await EnrolmentTokenRegistry(logger: TestDatabase.logger).revoke(
                id: record.id, by: AuditActor(name: "test", source: "test"), on: fixture.connection)
            #expect(revoked.revokedAt != nil)
            #expect(await Self.refusal(of: token, in: fixture) == .tokenRevoked)
            #expect(try await fixture.agentCount() == 0)
        }
    }

    @Test func refusesAnUnknownToken() async throws {
        try await EnrolmentFixture.with { fixture in
            let token = try EnrolmentToken.generate(
                collectorHost: "127.0.0.1", collectorPort: UInt16(fixture.server.port),
                caFingerprint: fixture.authority.fingerprint)
            #expect(await Self.refusal(of: token, in: fixture) == .tokenUnknown)
            #expect(!fixture.logs.mention(token))
            #expect(fixture.logs.all.contains { $0.contains("enrolment refused") && $0.contains("token_unknown") })
        }
    }

    @Test func agentRefusesACollectorWithoutTheTokensCA() async throws {
        try await EnrolmentFixture.with { fixture in
            let (genuine, record) = try await fixture.makeToken()
            // Same name, different key: only the fingerprint tells them apart.
            let forged = try CertificateAuthority.create(commonName: "Outpost CA")
            let token = try EnrolmentToken(
                collectorHost: genuine.collectorHost, collectorPort: genuine.collectorPort,
                caFingerprint: forged.fingerprint, secret: genuine.secret)
            let state = fixture.stateDirectory()
            let error = await #expect(throws: AgentEnrolmentError.self) {
                try await AgentEnrolment(token: token, stateDirectory: state).run()
            }
            #expect(error == .collectorNotTrusted(.noCertificateMatchesPin))
            #expect(!state.isEnrolled)
            // The secret never left the agent: the token is still unused.
            #expect(try await fixture.record(of: record.id).usedAt == nil)
        }
    }

    @Test func refusesACSRWithABadSignatureAndKeepsTheToken() async throws {
        try await EnrolmentFixture.with { fixture in
            let (token, record) = try await fixture.makeToken()
            var csr = try P256Key.generate().makeCertificateSigningRequest()
            csr[csr.count - 1] ^= 0x01  // last byte of the signature's s: still DER, no longer valid
            let rejection = await #expect(throws: EnrolmentRejection.self) {
                try await EnrolmentExchange.perform(
                    secret: token.secret, csr: csr, to: address(fixture), pinnedCA: token.caFingerprint)
            }
            #expect(rejection?.reason == .csrInvalid)
            #expect(rejection?.message.contains("signature") == true)
            #expect(try await fixture.record(of: record.id).usedAt == nil)
            #expect(try await fixture.agentCount() == 0)

            // The refused request did not consume the token.
            _ = try await AgentEnrolment(token: token, stateDirectory: fixture.stateDirectory()).run()
            #expect(try await fixture.agentCount() == 1)
        }
    }

    @Test func refusesAnOversizedCSR() async throws {
        try await EnrolmentFixture.with { fixture in
            let (token, record) = try await fixture.makeToken()
            let csr = [UInt8](repeating: 0x30, count: PKIDefaults.maximumCSRSize + 1)
            let rejection = await #expect(throws: EnrolmentRejection.self) {
                try await EnrolmentExchange.perform(
                    secret: token.secret, csr: csr, to: address(fixture), pinnedCA: token.caFingerprint)
            }
            #expect(rejection?.reason == .csrTooLarge)
            #expect(try await fixture.record(of: record.id).usedAt == nil)
        }
    }

    @Test func rateLimitsFailedAttemptsPerAddress() async throws {
        // No refill: on a loaded machine five enrolments can outlast the 12 s in which a rate of
        // 5 per minute gives a token back (CI saw the sixth attempt let through). Refill has its
        // own test against an explicit clock.
        let configuration = EnrolmentServerConfiguration(
            host: "127.0.0.1", port: 0, failedAttemptBurst: 5, failedAttemptsPerMinute: 0)
        try await EnrolmentFixture.with(configuration: configuration) { fixture in
            for _ in 0..<5 {
                let unknown = try EnrolmentToken.generate(
                    collectorHost: "127.0.0.1", collectorPort: UInt16(fixture.server.port),
                    caFingerprint: fixture.authority.fingerprint)
                #expect(await Self.refusal(of: unknown, in: fixture) == .tokenUnknown)
            }
            // Even a valid token is refused now, and stays unused.
            let (token, record) = try await fixture.makeToken()
            #expect(await Self.refusal(of: token, in: fixture) == .rateLimited)
            #expect(try await fixture.record(of: record.id).usedAt == nil)
            #expect(!fixture.logs.mention(token))
        }
    }

    @Test func concurrentEnrolmentsWithOneTokenEnrolExactlyOneAgent() async throws {
        // The second request waits on the token's row lock until the first commits; on a loaded
        // machine both together outlasted the default 10 s exchange deadline, and the second was
        // cut off instead of refused. The deadline has tests of its own; this one is about the token.
        let configuration = EnrolmentServerConfiguration(host: "127.0.0.1", port: 0, connectionTimeout: .seconds(60))
        try await EnrolmentFixture.with(configuration: configuration) { fixture in
            let (token, _) = try await fixture.makeToken()
            let outcomes = await withTaskGroup(of: Result<AgentEnrolment.Result, any Error>.self) { group in
                for _ in 0..<2 {
                    let enrolment = AgentEnrolment(token: token, stateDirectory: fixture.stateDirectory())
                    group.addTask {
                        do { return .success(try await enrolment.run()) } catch { return .failure(error) }
                    }
                }
                var outcomes: [Result<AgentEnrolment.Result, any Error>] = []
                for await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
            let successes = outcomes.compactMap { try? $0.get() }
            let rejections = outcomes.compactMap { outcome -> EnrolmentRejection? in
                guard case .failure(let error) = outcome else { return nil }
                return error as? EnrolmentRejection
            }
            #expect(successes.count == 1, "outcomes: \(outcomes)")
            #expect(rejections.map(\.reason) == [.tokenAlreadyUsed], "outcomes: \(outcomes)")
            #expect(try await fixture.agentCount() == 1)
        }
    }

    private func address(_ fixture: EnrolmentFixture) -> CollectorAddress {
        CollectorAddress(host: "127.0.0.1", port: fixture.server.port)
    }
}
