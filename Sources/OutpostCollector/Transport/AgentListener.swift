import Logging
import NIOCore
import NIOPosix
import NIOSSL
import OutpostPKI
import OutpostTransport
import OutpostWire
import ServiceLifecycle

/// Accepts agent connections over mutual TLS and runs one ``AgentSession`` per connection.
///
/// Each connection lives in a child task of the listener and is closed when the session ends,
/// when the peer is silent for ``Heartbeat/timeout``, or at shutdown. A failed handshake, a
/// malformed frame or a misbehaving session closes that connection only. Connections are
/// capped before TLS (``ConnectionAdmission``): in all, per source address, and in the time
/// they may take to present a verified certificate.
public final class AgentListener: Service, Sendable {
    private let host: String
    private let port: Int
    private let tls: AgentTLS
    private let sessions: AgentSessionContext
    private let logger: Logger
    private let bound: EventLoopPromise<SocketAddress>
    let admission: ConnectionAdmission

    /// The default caps: 4,096 connections, 64 per source address (agents behind one NAT
    /// address share it), 10 s from accept to a verified client certificate.
    public static let defaultLimits = (connections: 4_096, perSource: 64, handshakeSeconds: Int64(10))

    /// - Parameters:
    ///   - host, port: where to listen (`port` 0 picks a free one; see ``boundAddress``).
    ///   - maximumConnections, maximumConnectionsPerSource, handshakeTimeout: the caps applied
    ///     before TLS.
    public init(
        host: String, port: Int, tls: AgentTLS, sessions: AgentSessionContext,
        maximumConnections: Int = AgentListener.defaultLimits.connections,
        maximumConnectionsPerSource: Int = AgentListener.defaultLimits.perSource,
        handshakeTimeout: Duration = .seconds(AgentListener.defaultLimits.handshakeSeconds),
        logger: Logger
    ) {
        self.host = host
        self.port = port
        self.tls = tls
        self.sessions = sessions
        self.admission = ConnectionAdmission(
            limits: .init(
                maximumConnections: maximumConnections, maximumPerSource: maximumConnectionsPerSource,
                handshakeTimeout: TimeAmount(handshakeTimeout)), listener: "agents")
        self.logger = logger
        self.bound = MultiThreadedEventLoopGroup.singleton.any().makePromise()
    }

    /// The address the listener bound to, once it has.
    public var boundAddress: SocketAddress {
        get async throws { try await bound.futureResult.get() }
    }

    public func run() async throws {
        let tls = self.tls
        let admission = self.admission
        let maximumFrame = sessions.configuration.maximumFrameBytes
        let server: NIOAsyncChannel<(MessageChannel, EventLoopFuture<VerifiedAgent>), Never>
        do {
            server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .bind(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let handshakeDeadline = try admission.admit(channel)
                        let identified = channel.eventLoop.makePromise(of: VerifiedAgent.self)
                        identified.futureResult.whenSuccess { _ in handshakeDeadline.cancel() }
                        // A peer without a certificate fails the handshake before the verification
                        // callback runs; closing then settles the promise (a later completion is a no-op).
                        channel.closeFuture.whenComplete { _ in
                            identified.fail(
                                AgentRejected(reason: "connection closed before the client certificate was verified"))
                        }
                        let operations = channel.pipeline.syncOperations
                        try operations.addHandler(tls.makeHandler(identified: identified))
                        try operations.addDeadPeerDetection(timeout: .seconds(Heartbeat.timeout.components.seconds))
                        try operations.addMessageCodec(maximumPayloadSize: maximumFrame)
                        let messages = try MessageChannel(wrappingChannelSynchronously: channel)
                        return (messages, identified.futureResult)
                    }
                }
        } catch {
            bound.fail(error)
            throw error
        }
        bound.succeed(server.channel.localAddress!)
        logger.info("listening for agents", metadata: ["address": "\(server.channel.localAddress!)"])
        let sessions = self.sessions
        let logger = self.logger
        try await withGracefulShutdownHandler {
            try await server.executeThenClose { connections in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await (connection, identified) in connections {
                        group.addTask {
                            let peer = connection.channel.remoteAddress.map(Self.hostAndPort) ?? "unknown"
                            do {
                                let agent = try await identified.get()
                                try await AgentSession(agent: agent, peer: peer, context: sessions, logger: logger).run(
                                    on: connection)
                            } catch {
                                sessions.metrics.rejectedConnections.increment()
                                logger.info(
                                    "agent connection closed", metadata: ["peer": "\(peer)", "reason": "\(error)"])
                                try? await connection.executeThenClose { _, _ in }
                            }
                        }
                    }
                }
            }
        } onGracefulShutdown: {
            server.channel.close(promise: nil)
        }
    }

    /// `10.0.0.2:45500` or `[2001:db8::2]:45500`: how an agent's address is logged and stored.
    static func hostAndPort(_ address: SocketAddress) -> String {
        let host = address.ipAddress ?? "unknown"
        let port = address.port.map(String.init) ?? "?"
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

}
