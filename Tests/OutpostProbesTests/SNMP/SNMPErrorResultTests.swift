import Foundation
import OutpostCore
import OutpostProbes
import OutpostTestSupport
import Testing

/// Failures are results with the right error, delivered within the request's time budget.
@Suite(.tags(.snmp, .timing), .needsQuietMachine, .needsSnmpd) struct SNMPErrorResultTests {
    static let sysDescr = "1.3.6.1.2.1.1.1.0"

    @Test func wrongCommunityTimesOut() async throws {
        let agent = try await SNMPDaemon()
        try await expectTimeoutWithinTheBudget(
            agent.target(.v2c(community: "wrong-community"), timeout: .milliseconds(300), retries: 1))
    }

    @Test func wrongV3KeyIsAnAuthenticationFailureAndTheRightKeyStillWorksAfterwards() async throws {
        let agent = try await SNMPDaemon()
        let engine = try SNMPEngine()
        let wrong = agent.target(
            SNMPDaemon.user("privsha256", auth: .sha256, priv: .aes128, authPassphrase: "not-the-key-1"))
        let (result, elapsed) = await timedGet(from: wrong, with: engine)
        #expect(result == .failure(.authenticationFailure("wrongDigest")))
        #expect(elapsed < .seconds(4) + .seconds(2))
        // The USM cache must not keep the wrong key for this engine ID and user.
        let right = agent.target(SNMPDaemon.user("privsha256", auth: .sha256, priv: .aes128))
        let good = try await engine.get([Self.sysDescr], from: right).get()
        #expect(good == (try await agent.tool("snmpget", [Self.sysDescr])))
        await engine.shutdown()
    }

    @Test func unknownV3UserIsAnAuthenticationFailure() async throws {
        let agent = try await SNMPDaemon()
        let unknown = agent.target(SNMPDaemon.user("nobody-here", auth: .sha1, priv: .aes128))
        let (result, elapsed) = try await timedGet(from: unknown)
        #expect(result == .failure(.authenticationFailure("unknownUserName")))
        #expect(elapsed < .seconds(4) + .seconds(2))
    }

    @Test(arguments: [
        SNMPSecurity.v2c(community: "public"), SNMPDaemon.user("privsha256", auth: .sha256, priv: .aes128),
    ])
    func unreachableAgentTimesOutWithinTheBudget(security: SNMPSecurity) async throws {
        let port = try FreePort.udp()
        try await expectTimeoutWithinTheBudget(
            SNMPTarget(host: "127.0.0.1", port: port, security: security, timeout: .milliseconds(200), retries: 2))
    }

    @Test func v1MissingObjectIsNoSuchNameAndV2cIsAnExceptionValue() async throws {
        let agent = try await SNMPDaemon()
        let engine = try SNMPEngine()
        let v1 = await engine.get(["1.3.6.1.2.1.1.99.0"], from: agent.target(.v1(community: SNMPDaemon.community)))
        #expect(v1 == .failure(.agentError(status: 2, index: 1)))
        let v2 = try await engine.get(["1.3.6.1.2.1.1.1.99"], from: agent.v2c).get()
        #expect(v2.first?.value == .noSuchInstance)
        let sample = ItemSample(
            itemID: ItemID(UUID()), deviceID: DeviceID(UUID()), timestamp: Date(), result: .success(v2[0].value))
        #expect(sample.value == nil && sample.error == "noSuchInstance")
        await engine.shutdown()
    }

    @Test func badInputIsRejectedBeforeAnythingIsSent() async throws {
        let engine = try SNMPEngine()
        let target = SNMPTarget(host: "127.0.0.1", security: .v2c(community: "public"))
        #expect(await engine.get(["1.3.six.1"], from: target) == .failure(.invalidOID("1.3.six.1")))
        #expect(await engine.get([], from: target) == .failure(.invalidTarget("a request carries 1...128 OIDs")))
        let named = SNMPTarget(host: "router.example", security: .v2c(community: "public"))
        #expect(
            await engine.get(["1.3.6.1.2.1.1.1.0"], from: named)
                == .failure(.invalidTarget("host must be an IPv4 or IPv6 address literal")))
        let v1Bulk = SNMPTarget(host: "127.0.0.1", security: .v1(community: "public"))
        #expect(
            await engine.getBulk(["1.3.6.1"], maxRepetitions: 5, from: v1Bulk)
                == .failure(.invalidTarget("GETBULK needs SNMPv2c or v3")))
        await engine.shutdown()
        #expect(await engine.get(["1.3.6.1.2.1.1.1.0"], from: target) == .failure(.shutdown))
    }

    /// Expects a get from `target`, whose attempts take 600 ms in all, to time out within that
    /// budget (plus 2 s of slack for a loaded machine).
    private func expectTimeoutWithinTheBudget(
        _ target: SNMPTarget, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let (result, elapsed) = try await timedGet(from: target)
        #expect(result == .failure(.timeout), sourceLocation: sourceLocation)
        #expect(elapsed < .milliseconds(600) + .seconds(2), sourceLocation: sourceLocation)
    }

    /// Gets sysDescr from `target` with a new engine, shut down afterwards; returns the result and
    /// how long it took.
    private func timedGet(from target: SNMPTarget) async throws -> (Result<[VarBind], SNMPError>, Duration) {
        let engine = try SNMPEngine()
        let outcome = await timedGet(from: target, with: engine)
        await engine.shutdown()
        return outcome
    }

    /// Gets sysDescr from `target` with `engine`; returns the result and how long it took.
    private func timedGet(from target: SNMPTarget, with engine: SNMPEngine) async -> (
        Result<[VarBind], SNMPError>, Duration
    ) {
        let clock = ContinuousClock()
        let start = clock.now
        let result = await engine.get([Self.sysDescr], from: target)
        return (result, clock.now - start)
    }
}
