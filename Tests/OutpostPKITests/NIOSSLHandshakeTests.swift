import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import OutpostCore
import OutpostPKI
import OutpostTestSupport
import Synchronization
import Testing
import X509

/// Real TLS 1.3 handshakes on loopback through swift-nio-ssl, wired the way the collector and
/// agent use this module: the collector's custom verification callback runs
/// ``AgentCertificateVerifier`` (with the revocation deny list), and an enrolling agent's
/// custom verification callback runs ``CAPinning`` against the token's fingerprint.
@Suite struct NIOSSLHandshakeTests {
    @Test func collectorAcceptsEnrolledAgentAndRefusesRevokedOne() async throws {
        let pki = try HandshakePKI()
        let denyList = RevocationDenyList()
        let good = try pki.issueAgent()
        let revoked = try pki.issueAgent()
        denyList.insert(revoked.issued.serialNumber)

        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let collector = try await Collector.start(
            group: group, pki: pki, requireClientCertificate: true, denyList: denyList)

        let accepted = try await collector.handshake { outcome in
            try pki.agentClientHandler(for: good, outcome: outcome)
        }
        #expect(try accepted.get() == good.issued.agentID)

        let refused = try await collector.handshake { outcome in
            try pki.agentClientHandler(for: revoked, outcome: outcome)
        }
        let rejection = #expect(throws: ClientChainRejection.self) { try refused.get() }
        #expect(rejection?.description.contains("revoked") == true)

        try await collector.channel.close()
        try await group.shutdownGracefully()
    }

    @Test func enrollingAgentPinsTheCollectorsCA() async throws {
        let pki = try HandshakePKI()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let collector = try await Collector.start(
            group: group, pki: pki, requireClientCertificate: false, denyList: RevocationDenyList())

        let forged = try CertificateAuthority.create(commonName: "Outpost CA")
        for (pin, shouldConnect) in [(pki.ca.fingerprint, true), (forged.fingerprint, false)] {
            let outcome = group.next().makePromise(of: Void.self)
            let pinned = LockedCertificate()
            let client = try await ClientBootstrap(group: group).channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = try NIOSSLClientHandler(
                        context: try pki.enrolmentClientContext(),
                        serverHostname: "collector.bank.example",
                        customVerificationCallbackWithMetadata: { certificates, promise in
                            let chain = certificates.compactMap { try? Certificate(derEncoded: $0.toDERBytes()) }
                            Task {
                                switch await CAPinning.verifyServerChain(chain, pinnedCA: pin) {
                                case .success(let ca):
                                    pinned.set(ca)
                                    promise.succeed(.certificateVerified(VerificationMetadata(nil)))
                                case .failure:
                                    promise.succeed(.failed)
                                }
                            }
                        }
                    )
                    try channel.pipeline.syncOperations.addHandler(handler)
                    try channel.pipeline.syncOperations.addHandler(HandshakeObserver(outcome: outcome))
                }
            }.connect(host: "127.0.0.1", port: collector.port).get()
            let result = await completion(of: outcome.futureResult)
            try? await client.close()
            if shouldConnect {
                #expect(throws: Never.self) { try result.get() }
                #expect(pinned.get() == pki.ca.certificate)
            } else {
                #expect(throws: (any Error).self) { try result.get() }
                #expect(pinned.get() == nil)
            }
        }
        try await collector.channel.close()
        try await group.shutdownGracefully()
    }
}

/// What `future` completes with: its value or its error.
private func completion<Value: Sendable>(of future: EventLoopFuture<Value>) async -> Result<Value, any Error> {
    do {
        return .success(try await future.get())
    } catch {
        return .failure(error)
    }
}

/// CA, collector identity and agent identities as NIOSSL objects.
private struct HandshakePKI {
    struct Agent {
        let issued: IssuedAgentCertificate
        let key: P256Key
    }

    let ca: CertificateAuthority
    let caNIO: NIOSSLCertificate
    let server: TestCA.ServerIdentity

    init() throws {
        let testCA = try TestCA()
        ca = testCA.ca
        caNIO = try NIOSSLCertificate(bytes: Array(try ca.certificatePEM.utf8), format: .pem)
        server = try testCA.issueServer(dnsNames: ["collector.bank.example"], ipAddresses: [])
    }

    func issueAgent() throws -> Agent {
        let key = P256Key.generate()
        return Agent(
            issued: try ca.issueAgentCertificate(csr: try key.makeCertificateSigningRequest(), branch: "Setúbal"),
            key: key)
    }

    /// The collector presents its certificate followed by the CA certificate (for pinning).
    func serverContext(requireClientCertificate: Bool) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [
                .certificate(
                    try NIOSSLCertificate(bytes: Array(try CertificateFile.pem(server.certificate).utf8), format: .pem)),
                .certificate(caNIO),
            ],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(try server.key.pemEncoded.utf8), format: .pem))
        )
        configuration.minimumTLSVersion = .tlsv13
        configuration.certificateVerification = requireClientCertificate ? .noHostnameVerification : .none
        configuration.trustRoots = .certificates([caNIO])
        return try NIOSSLContext(configuration: configuration)
    }

    func agentClientHandler(for agent: Agent, outcome: EventLoopPromise<Void>) throws -> [ChannelHandler] {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv13
        configuration.certificateChain = [
            .certificate(try NIOSSLCertificate(bytes: Array(try agent.issued.pemEncoded.utf8), format: .pem))
        ]
        configuration.privateKey = .privateKey(
            try NIOSSLPrivateKey(bytes: Array(try agent.key.pemEncoded.utf8), format: .pem))
        configuration.trustRoots = .certificates([caNIO])
        return [
            try NIOSSLClientHandler(
                context: try NIOSSLContext(configuration: configuration), serverHostname: "collector.bank.example"),
            HandshakeObserver(outcome: outcome),
        ]
    }

    /// An enrolling agent has no certificate and no CA yet: only the token's fingerprint.
    func enrolmentClientContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv13
        return try NIOSSLContext(configuration: configuration)
    }
}

/// A loopback TLS server whose verification callback is the collector's.
private struct Collector {
    let channel: Channel
    let port: Int
    let group: EventLoopGroup
    let verdicts: PendingVerdicts

    static func start(
        group: EventLoopGroup,
        pki: HandshakePKI,
        requireClientCertificate: Bool,
        denyList: RevocationDenyList
    ) async throws -> Collector {
        let context = try pki.serverContext(requireClientCertificate: requireClientCertificate)
        let verifier = AgentCertificateVerifier(caCertificate: pki.ca.certificate)
        let caNIO = pki.caNIO
        let verdicts = PendingVerdicts()
        let channel = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let identified = verdicts.take() ?? channel.eventLoop.makePromise(of: AgentID.self)
                    let handshake = channel.eventLoop.makePromise(of: Void.self)
                    // A handshake that ends without the callback naming an agent (failed, or no
                    // client certificate requested) settles the verdict; later completions are ignored.
                    handshake.futureResult.whenComplete { result in
                        switch result {
                        case .failure(let error): identified.fail(error)
                        case .success: identified.fail(ChannelError.inappropriateOperationForState)
                        }
                    }
                    let handler = NIOSSLServerHandler(
                        context: context,
                        customVerificationCallbackWithMetadata: { certificates, promise in
                            // Everything the peer sent is untrusted input: parse, then verify the whole chain.
                            guard let chain = try? certificates.map({ try Certificate(derEncoded: $0.toDERBytes()) }),
                                let leaf = chain.first
                            else {
                                promise.succeed(.failed)
                                return
                            }
                            Task {
                                let result = await verifier.verifyClientChain(
                                    leaf: leaf,
                                    intermediates: Array(chain.dropFirst()),
                                    revokedSerials: denyList.snapshot
                                )
                                switch result {
                                case .success(let agent):
                                    identified.succeed(agent.agentID)
                                    let validated = ValidatedCertificateChain([certificates[0], caNIO])
                                    promise.succeed(.certificateVerified(VerificationMetadata(validated)))
                                case .failure(let rejection):
                                    identified.fail(rejection)
                                    promise.succeed(.failed)
                                }
                            }
                        })
                    try channel.pipeline.syncOperations.addHandler(handler)
                    try channel.pipeline.syncOperations.addHandler(HandshakeObserver(outcome: handshake))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return Collector(
            channel: channel, port: try #require(channel.localAddress?.port), group: group, verdicts: verdicts)
    }

    /// Connects a client built by `makeHandlers` and returns the collector's verdict: the agent
    /// identity its verification callback established, or why it refused.
    func handshake(_ makeHandlers: @escaping @Sendable (EventLoopPromise<Void>) throws -> [ChannelHandler]) async throws
        -> Result<AgentID, any Error>
    {
        let verdict = group.next().makePromise(of: AgentID.self)
        verdicts.expect(verdict)
        let clientOutcome = group.next().makePromise(of: Void.self)
        let client = try await ClientBootstrap(group: group).channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandlers(try makeHandlers(clientOutcome))
            }
        }.connect(host: "127.0.0.1", port: port).get()
        let result = await completion(of: verdict.futureResult)
        try? await client.close()
        return result
    }
}

/// Verdict promises for the next connections, in connect order (one connection at a time).
private final class PendingVerdicts: Sendable {
    private let queue = Mutex<[EventLoopPromise<AgentID>]>([])

    func expect(_ promise: EventLoopPromise<AgentID>) {
        queue.withLock { $0.append(promise) }
    }

    func take() -> EventLoopPromise<AgentID>? {
        queue.withLock { $0.isEmpty ? nil : $0.removeFirst() }
    }
}

/// The CA certificate an enrolling agent's pinning callback accepted.
private final class LockedCertificate: Sendable {
    private let value = Mutex<Certificate?>(nil)

    func set(_ certificate: Certificate) {
        value.withLock { $0 = certificate }
    }

    func get() -> Certificate? {
        value.withLock { $0 }
    }
}

/// Completes `outcome` with the first TLS handshake result seen on its channel.
private final class HandshakeObserver: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let outcome: EventLoopPromise<Void>
    private var completed = false

    init(outcome: EventLoopPromise<Void>) {
        self.outcome = outcome
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            complete(.success(()))
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        complete(.failure(error))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        complete(.failure(ChannelError.eof))
        context.fireChannelInactive()
    }

    private func complete(_ result: Result<Void, any Error>) {
        guard !completed else { return }
        completed = true
        outcome.completeWith(result)
    }
}
