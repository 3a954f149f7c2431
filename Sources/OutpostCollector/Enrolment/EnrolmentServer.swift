import Logging
import NIOCore
import NIOPosix
import NIOSSL
import OutpostPKI
import OutpostTransport
import OutpostWire
import PostgresNIO
import Synchronization

/// The enrolment endpoint: a TLS listener (server authentication only) answering one request
/// per connection with the agent's certificate chain or an Error frame (`docs/protocol.md`,
/// "Enrolment"). ``EnrolmentService`` runs it under ServiceLifecycle.
///
/// Connections are capped before TLS (``ConnectionAdmission``: in all and per source address)
/// and each has a hard deadline from accept to its answer, so idle sockets cannot lock agents
/// out for long, and a refused connection is closed before it is ever wrapped for async use.
public final class EnrolmentServer: Sendable {
    private typealias Connection = NIOAsyncChannel<ByteBuffer, ByteBuffer>

    private let listener: NIOAsyncChannel<Connection, Never>
    private let processor: EnrolmentProcessor
    private let configuration: EnrolmentServerConfiguration
    private let caCertificateDER: [UInt8]
    private let logger: Logger
    let admission: ConnectionAdmission

    /// The port the server listens on (the configured one, or the one picked for port 0).
    public let port: Int

    /// Binds the listener; call ``serve()`` to accept connections.
    ///
    /// - Parameters:
    ///   - authority: The CA issuing agent certificates (needs `ca.key`).
    ///   - identity: The collector's TLS identity, presented with the CA certificate.
    ///   - client: The collector's database pool; it must be running.
    public static func bind(
        configuration: EnrolmentServerConfiguration,
        authority: CertificateAuthority,
        identity: CollectorServerIdentity,
        client: PostgresClient,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) async throws -> EnrolmentServer {
        let tls = try EnrolmentServerTLS(identity: try identity.tlsIdentity)
        // The deadline covers the whole exchange: a slow or silent peer is cut off.
        let admission = ConnectionAdmission(
            limits: .init(
                maximumConnections: configuration.maximumConcurrentConnections,
                maximumPerSource: configuration.maximumConnectionsPerSource,
                handshakeTimeout: TimeAmount(configuration.connectionTimeout)), listener: "enrolment")
        let listener = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try admission.admit(channel)
                    try channel.pipeline.syncOperations.addHandler(tls.makeHandler())
                    return try Connection(wrappingChannelSynchronously: channel)
                }
            }
        let processor = EnrolmentProcessor(
            authority: authority,
            client: client,
            certificateLifetime: configuration.certificateLifetime,
            limiter: FailedAttemptLimiter(
                burst: configuration.failedAttemptBurst, perMinute: configuration.failedAttemptsPerMinute,
                globalBurst: configuration.failedAttemptGlobalBurst,
                globalPerMinute: configuration.failedAttemptsPerMinuteGlobally),
            logger: logger)
        let caDER = try NIOSSLCertificate(bytes: Array(try authority.certificatePEM.utf8), format: .pem).toDERBytes()
        return EnrolmentServer(
            listener: listener, processor: processor, caCertificateDER: caDER, configuration: configuration,
            admission: admission,
            logger: logger)
    }

    private init(
        listener: NIOAsyncChannel<Connection, Never>,
        processor: EnrolmentProcessor,
        caCertificateDER: [UInt8],
        configuration: EnrolmentServerConfiguration,
        admission: ConnectionAdmission,
        logger: Logger
    ) {
        self.listener = listener
        self.admission = admission
        self.caCertificateDER = caCertificateDER
        self.processor = processor
        self.configuration = configuration
        self.logger = logger
        self.port = listener.channel.localAddress?.port ?? configuration.port
    }

    /// Accepts and serves connections until ``close()``; then waits for the connections in
    /// progress (each bounded by the connection timeout) and returns.
    public func serve() async throws {
        logger.info("enrolment endpoint listening", metadata: ["address": "\(configuration.host):\(port)"])
        try await listener.executeThenClose { inbound in
            try await withThrowingDiscardingTaskGroup { group in
                for try await connection in inbound {
                    group.addTask { await self.handle(connection) }
                }
            }
        }
    }

    /// Stops accepting connections; ``serve()`` returns once those in progress are done.
    public func close() {
        listener.channel.close(promise: nil)
    }

    private func handle(_ connection: Connection) async {
        let address = connection.channel.remoteAddress?.ipAddress ?? "unknown"
        do {
            try await connection.executeThenClose { inbound, outbound in
                let reply: [UInt8]
                switch try await answer(inbound, from: address) {
                case .success(let issued):
                    let chain = [issued.derEncoded, caCertificateDER]
                    reply = try Message.renewResponse(RenewResponse(certificateChainDER: chain)).frame().encoded()
                case .failure(let failure):
                    processor.refused(failure, from: address)
                    reply = try failure.frameBytes()
                }
                try await outbound.write(ByteBuffer(bytes: reply))
            }
        } catch {
            logger.info("enrolment connection ended", metadata: ["peer": "\(address)", "error": "\(error)"])
        }
    }

    /// Reads one request and decides it. A rate-limited address is refused only after its
    /// request was read: closing on unread bytes would reset the connection and lose the answer.
    private func answer(_ inbound: NIOAsyncChannelInboundStream<ByteBuffer>, from address: String) async throws
        -> Result<IssuedAgentCertificate, EnrolmentFailure>
    {
        var received: [UInt8] = []
        for try await chunk in inbound {
            received.append(contentsOf: chunk.readableBytesView)
            let request: EnrolmentRequest?
            do {
                request = try EnrolmentRequest.parse(received)
            } catch {
                return .failure(processor.admits(address) ? error : .rateLimited)
            }
            if let request {
                guard processor.admits(address) else { return .failure(.rateLimited) }
                return await processor.enrol(request, from: address)
            }
        }
        throw ChannelError.eof
    }
}
