import Foundation
import OutpostCore
import OutpostProbes
import OutpostTestSupport
import Testing

/// The engine against a real snmpd, compared with what net-snmp's own tools print.
@Suite(.tags(.snmp, .timing), .needsQuietMachine, .needsSnmpd) struct SNMPEngineAgainstSnmpdTests {
    static let sysDescr = "1.3.6.1.2.1.1.1.0", sysObjectID = "1.3.6.1.2.1.1.2.0"
    static let sysUpTime = "1.3.6.1.2.1.1.3.0", sysName = "1.3.6.1.2.1.1.5.0"

    @Test func getOfSeveralOIDsInOnePDUMatchesSnmpget() async throws {
        let agent = try await SNMPDaemon()
        let engine = try SNMPEngine()
        let ours = try await engine.get(
            [Self.sysDescr, Self.sysObjectID, Self.sysName, "1.3.6.1.2.1.1.99.0"], from: agent.v2c
        ).get()
        let reference = try await agent.tool(
            "snmpget", [Self.sysDescr, Self.sysObjectID, Self.sysName, "1.3.6.1.2.1.1.99.0"])
        #expect(ours == reference)
        #expect(ours.last?.value == .noSuchObject)
        let upTime = try await engine.get([Self.sysUpTime], from: agent.v2c).get()
        guard case .timeTicks(let ticks)? = upTime.first?.value else {
            Issue.record("sysUpTime is not TimeTicks: \(upTime)")
            return
        }
        let later = try await agent.tool("snmpget", [Self.sysUpTime])
        guard case .timeTicks(let laterTicks)? = later.first?.value else {
            Issue.record("snmpget printed no TimeTicks: \(later)")
            return
        }
        #expect(ticks <= laterTicks)
        await engine.shutdown()
    }

    @Test func ifMIBBulkWalkMatchesSnmpbulkwalk() async throws {
        let agent = try await SNMPDaemon()
        let engine = try SNMPEngine()
        let ours = try await engine.walk("1.3.6.1.2.1.2", from: agent.v2c, maxRepetitions: 10)
        let reference = try await agent.tool("snmpbulkwalk", ["-Cr10", "1.3.6.1.2.1.2"])
        #expect(ours.count > 10)
        expectSameWalk(ours, reference)
        await engine.shutdown()
    }

    @Test func ifXTableWalkWithCounter64MatchesSnmpwalk() async throws {
        let agent = try await SNMPDaemon()
        let engine = try SNMPEngine()
        let ours = try await engine.walk("1.3.6.1.2.1.31.1.1", from: agent.v2c, maxRepetitions: 50)
        let reference = try await agent.tool("snmpwalk", ["1.3.6.1.2.1.31.1.1"])
        #expect(ours.contains { if case .counter64 = $0.value { true } else { false } })
        expectSameWalk(ours, reference)
        await engine.shutdown()
    }

    @Test func v1WalkUsesGetNextAndMatchesSnmpwalk() async throws {
        let agent = try await SNMPDaemon()
        let engine = try SNMPEngine()
        let ours = try await engine.walk("1.3.6.1.2.1.1", from: agent.target(.v1(community: SNMPDaemon.community)))
        let text = try await Command.output(
            "/usr/bin/snmpwalk",
            ["-v1", "-c", SNMPDaemon.community, "-On", "-Ox", "-Oe", agent.address, "1.3.6.1.2.1.1"])
        expectSameWalk(ours, NetSNMPToolOutput.parse(text))
        await engine.shutdown()
    }

    @Test(arguments: [
        ("privsha256", SNMPv3User.AuthenticationProtocol.sha256, SNMPv3User.PrivacyProtocol.aes128),
        ("privsha", .sha1, .aes128),
    ])
    func v3AuthPrivWalkMatchesV2cWalk(
        user: String, auth: SNMPv3User.AuthenticationProtocol, priv: SNMPv3User.PrivacyProtocol
    ) async throws {
        let agent = try await SNMPDaemon()
        let engine = try SNMPEngine()
        let v3 = agent.target(SNMPDaemon.user(user, auth: auth, priv: priv))
        let ours = try await engine.walk("1.3.6.1.2.1.2.2.1.2", from: v3)
        let text = try await Command.output(
            "/usr/bin/snmpbulkwalk",
            [
                "-v3", "-l", "authPriv", "-u", user, "-a", auth == .sha256 ? "SHA-256" : "SHA", "-A",
                SNMPDaemon.authPassphrase,
                "-x", "AES", "-X", SNMPDaemon.privPassphrase, "-On", "-Ox", agent.address, "1.3.6.1.2.1.2.2.1.2",
            ])
        #expect(!ours.isEmpty)
        #expect(ours == NetSNMPToolOutput.parse(text))
        await engine.shutdown()
    }

    @Test func v3AuthNoPrivAndNoAuthNoPrivRead() async throws {
        let agent = try await SNMPDaemon()
        let engine = try SNMPEngine()
        let reference = try await agent.tool("snmpget", [Self.sysDescr])
        let authOnly = try await engine.get(
            [Self.sysDescr], from: agent.target(SNMPDaemon.user("authsha", auth: .sha1))
        ).get()
        let noAuth = try await engine.get([Self.sysDescr], from: agent.target(SNMPDaemon.user("noauth"))).get()
        #expect(authOnly == reference)
        #expect(noAuth == reference)
        await engine.shutdown()
    }

    @Test func hundredsOfConcurrentRequestsAllSucceed() async throws {
        let agent = try await SNMPDaemon()
        let engine = try SNMPEngine()
        let targets = [agent.v2c, agent.target(SNMPDaemon.user("privsha256", auth: .sha256, priv: .aes128))]
        let results = await withTaskGroup(of: Result<[VarBind], SNMPError>.self) { group in
            for index in 0..<400 {
                group.addTask { await engine.get([Self.sysName, Self.sysObjectID], from: targets[index % 2]) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let reference = try await agent.tool("snmpget", [Self.sysName, Self.sysObjectID])
        #expect(reference.count == 2)
        #expect(results.count == 400)
        let wrong = results.filter { (try? $0.get()) != reference }
        #expect(wrong.isEmpty, "\(wrong.count) of 400 differ, first: \(wrong.prefix(2))")
        await engine.shutdown()
    }

    /// Many v3 authPriv GETs in flight on one session, without retries: every response must
    /// reach the engine. A response dropped by the session socket's receive queue is only seen
    /// as a timeout (with retries, a stall of a whole timeout), so none may time out here.
    /// 150 in flight: more than the default receive buffer takes in v3 responses once the
    /// kernel's batched accounting is counted, fewer than snmpd's own default buffer drops.
    @Test func manyV3RequestsInFlightLoseNoResponse() async throws {
        let agent = try await SNMPDaemon()
        let engine = try SNMPEngine()
        let v3 = agent.target(
            SNMPDaemon.user("privsha256", auth: .sha256, priv: .aes128), timeout: .seconds(10), retries: 0)
        let oids = [Self.sysDescr, Self.sysObjectID, Self.sysUpTime, Self.sysName]
        for round in 1...5 {
            let results = await withTaskGroup(of: Result<[VarBind], SNMPError>.self) { group in
                for _ in 0..<150 {
                    group.addTask { await engine.get(oids, from: v3) }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let failed = results.filter { if case .failure = $0 { true } else { false } }
            #expect(failed.isEmpty, "round \(round): \(failed.count) of 150 failed, first: \(failed.prefix(1))")
            #expect(results.allSatisfy { (try? $0.get())?.count == oids.count })
        }
        await engine.shutdown()
    }

    /// Same OIDs in the same order; same types; equal values except counters and time
    /// ticks, which may only have grown between our walk and the later reference walk.
    private func expectSameWalk(
        _ ours: [VarBind], _ reference: [VarBind], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(ours.map(\.oid) == reference.map(\.oid), sourceLocation: sourceLocation)
        for (mine, theirs) in zip(ours, reference) {
            switch (mine.value, theirs.value) {
            case (.counter32(let a), .counter32(let b)), (.timeTicks(let a), .timeTicks(let b)):
                #expect(a <= b, "\(mine.oid)", sourceLocation: sourceLocation)
            case (.counter64(let a), .counter64(let b)):
                #expect(a <= b, "\(mine.oid)", sourceLocation: sourceLocation)
            default:
                #expect(mine == theirs, sourceLocation: sourceLocation)
            }
        }
    }
}
