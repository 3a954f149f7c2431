import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import OutpostPKI
import OutpostTestSupport
import Synchronization
import Testing

@testable import OutpostCollector

/// A resumed TLS 1.3 handshake presents no client certificate and skips the verification
/// callback, so the agent port must never resume a session: `openssl s_client` saves the
/// session (its ticket) of a verified connection and offers it again.
@Suite("The agent mTLS port never resumes a TLS session")
struct SessionResumptionTests {
    @Test("a saved session offered again gets a full handshake: refused without a certificate, verified again with one")
    func noResumption() async throws {
        let directory = NSTemporaryDirectory() + "outpost-resumption-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let testCA = try TestCA()
        let ca = testCA.ca
        let server = try testCA.issueServer()
        let tls = try AgentTLS(
            certificateChainPEM: server.chainPEM, privateKeyPEM: try server.key.pemEncoded,
            caCertificate: ca.certificate, denyList: RevocationDenyList())
        let agentKey = testCA.agentKey
        let agent = try testCA.issueAgent(branch: "Lisboa")
        try agent.pemEncoded.write(toFile: "\(directory)/agent.crt", atomically: false, encoding: .utf8)
        try agentKey.pemEncoded.write(toFile: "\(directory)/agent.key", atomically: false, encoding: .utf8)
        try (try ca.certificatePEM).write(toFile: "\(directory)/ca.crt", atomically: false, encoding: .utf8)

        let handshakes = Handshakes()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let identified = channel.eventLoop.makePromise(of: VerifiedAgent.self)
                    identified.futureResult.whenSuccess { _ in handshakes.verified() }
                    channel.closeFuture.whenComplete { _ in identified.fail(AgentRejected(reason: "closed")) }
                    try channel.pipeline.syncOperations.addHandler(try tls.makeHandler(identified: identified))
                    try channel.pipeline.syncOperations.addHandler(AnswerAndClose(handshakes: handshakes))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        defer { channel.close(promise: nil) }
        let address = "127.0.0.1:\(try #require(channel.localAddress?.port))"
        let common = ["s_client", "-connect", address, "-tls1_3", "-CAfile", "\(directory)/ca.crt", "-ign_eof"]
        let withCertificate = ["-cert", "\(directory)/agent.crt", "-key", "\(directory)/agent.key"]

        let first = try await OpenSSL.run(
            common + withCertificate + ["-sess_out", "\(directory)/session.pem"], timeLimit: .seconds(30))
        #expect(first.combined.contains("New, TLSv1.3"), "\(first.combined)")
        #expect(first.combined.contains("answered"), "the first connection was not answered: \(first.combined)")
        #expect(FileManager.default.fileExists(atPath: "\(directory)/session.pem"), "no session ticket was saved")

        // The ticket without a certificate: resuming would get in unverified.
        let stolen = try await OpenSSL.run(common + ["-sess_in", "\(directory)/session.pem"], timeLimit: .seconds(30))
        #expect(!stolen.combined.contains("Reused"), "the session was resumed: \(stolen.combined)")
        #expect(
            !stolen.combined.contains("answered"), "a connection without a certificate was answered: \(stolen.combined)"
        )

        // The ticket with the certificate: a full handshake, verified again.
        let again = try await OpenSSL.run(
            common + withCertificate + ["-sess_in", "\(directory)/session.pem"], timeLimit: .seconds(30))
        #expect(again.combined.contains("New, TLSv1.3"), "\(again.combined)")
        #expect(again.combined.contains("answered"), "\(again.combined)")

        let counts = handshakes.counts
        #expect(counts.completed == 2, "handshakes completed: \(counts.completed)")
        #expect(counts.verified == counts.completed, "every completed handshake must have verified its certificate")
    }
}

/// Completed and verified handshakes of the test server.
private final class Handshakes: Sendable {
    private let state = Mutex((completed: 0, verified: 0))

    func completed() { state.withLock { $0.completed += 1 } }
    func verified() { state.withLock { $0.verified += 1 } }
    var counts: (completed: Int, verified: Int) { state.withLock { $0 } }
}

/// Answers "answered" once the TLS handshake completes (NIOSSL holds writes until then; the
/// write fails when the handshake does), then closes the connection.
private final class AnswerAndClose: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let handshakes: Handshakes

    init(handshakes: Handshakes) {
        self.handshakes = handshakes
    }

    func channelActive(context: ChannelHandlerContext) {
        let (channel, handshakes) = (context.channel, self.handshakes)
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "answered\n"))).whenComplete { result in
            if case .success = result { handshakes.completed() }
            channel.close(promise: nil)
        }
        context.fireChannelActive()
    }
}
