import Foundation
import OutpostCore
import OutpostTestSupport
import OutpostWire
import Testing

@Suite("A session outliving the agent's certificate", .tags(.postgres), .needsPostgres)
struct SessionExpiryTests {
    @Test(
        "a message after the certificate expired ends the session with unauthorized, nothing committed; no new session")
    func expiredCertificateEndsLiveSession() async throws {
        try await TransportFixture.with { db, database, fixture in
            let devices = try await fixture.addDevices(2, db: db)
            try await fixture.withCollector(database: database.url) { address in
                // Issued once the collector listens, so its life starts at the handshake; 15 s leave
                // room for a slow first handshake on a loaded machine.
                let agent = try await fixture.enrolAgent("short-lived", lifetime: 15, db: db)
                try await RawAgentConnection.withSession(agent, to: address) { _, inbound, outbound in
                    // The expiry is a moment on the clock, not an event: poll it. Validation works in
                    // whole seconds (a certificate is valid through its notAfter second): one more.
                    let expired = agent.certificate.notValidAfter.addingTimeInterval(1)
                    while Date() <= expired { try await Task.sleep(for: .milliseconds(100)) }
                    try await outbound.write(
                        .batch(TransportFixture.signedBatch(agent, sequence: 1, devices: devices, at: Date())))
                    var refusal: ErrorMessage?
                    while let message = try? await inbound.next() {
                        if case .error(let error) = message { refusal = error }
                        #expect(!message.isAck, "a batch sent on an expired certificate was acknowledged")
                    }
                    #expect(refusal?.code == .unauthorized)
                }
                #expect(try await db.integer("SELECT count(*) FROM ping_results") == 0)
                #expect(
                    await AgentCollectorTests.isRefused(agent, at: address), "an expired certificate got a new session")
            }
        }
    }
}

extension Message {
    fileprivate var isAck: Bool {
        if case .ack = self { return true }
        return false
    }
}
