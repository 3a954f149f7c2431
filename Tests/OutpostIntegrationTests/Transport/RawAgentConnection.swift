import NIOCore
import NIOPosix
import OutpostAgent
import OutpostPKI
import OutpostTransport
import OutpostWire
import Testing

/// A bare agent connection for tests that must send what the real uplink never would.
enum RawAgentConnection {
    /// A TLS connection carrying protocol messages.
    static func with(
        _ credentials: AgentCredentials, to address: CollectorAddress,
        _ body: (inout NIOAsyncChannelInboundStream<Message>.AsyncIterator, NIOAsyncChannelOutboundWriter<Message>)
            async throws -> Void
    ) async throws {
        try await connect(
            credentials, to: address,
            framing: { channel in
                try channel.pipeline.syncOperations.addMessageCodec()
                return try MessageChannel(wrappingChannelSynchronously: channel)
            }, body)
    }

    /// A TLS connection on which the agent has said `hello` and been answered with a Welcome and
    /// its first Config; `body` gets that Config and the connection. Where either answer is
    /// missing, records an issue (at the caller's `sourceLocation`) and skips `body`.
    static func withSession(
        _ credentials: AgentCredentials, to address: CollectorAddress, hello: Hello = .raw,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ body: (
            ConfigSnapshot, inout NIOAsyncChannelInboundStream<Message>.AsyncIterator,
            NIOAsyncChannelOutboundWriter<Message>
        ) async throws -> Void
    ) async throws {
        try await with(credentials, to: address) { inbound, outbound in
            try await outbound.write(.hello(hello))
            guard case .welcome = try await inbound.next() else {
                Issue.record("no Welcome", sourceLocation: sourceLocation)
                return
            }
            guard case .config(let snapshot) = try await inbound.next() else {
                Issue.record("no Config", sourceLocation: sourceLocation)
                return
            }
            try await body(snapshot, &inbound, outbound)
        }
    }

    /// A TLS connection carrying raw bytes, for sending what no encoder would produce.
    static func withBytes(
        _ credentials: AgentCredentials, to address: CollectorAddress,
        _ body: (
            inout NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator, NIOAsyncChannelOutboundWriter<ByteBuffer>
        ) async throws -> Void
    ) async throws {
        try await connect(
            credentials, to: address,
            framing: { channel in
                try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
            }, body)
    }

    /// Connects with the agent's TLS set-up, frames the channel with `framing` and runs `body` on it.
    private static func connect<Inbound: Sendable, Outbound: Sendable>(
        _ credentials: AgentCredentials, to address: CollectorAddress,
        framing: @escaping @Sendable (any Channel) throws -> NIOAsyncChannel<Inbound, Outbound>,
        _ body: (inout NIOAsyncChannelInboundStream<Inbound>.AsyncIterator, NIOAsyncChannelOutboundWriter<Outbound>)
            async throws -> Void
    ) async throws {
        let tls = try UplinkTLS(credentials: credentials)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: address.host, port: address.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        tls.makeClientHandler(serverHostname: address.serverName))
                    return try framing(channel)
                }
            }
        try await channel.executeThenClose { inbound, outbound in
            var iterator = inbound.makeAsyncIterator()
            try await body(&iterator, outbound)
        }
    }
}

extension Hello {
    /// The Hello of a fresh raw client: nothing acknowledged, no configuration yet, nothing dropped.
    static var raw: Hello {
        Hello(agentVersion: "raw", lastAcknowledgedSequence: 0, configVersion: nil, droppedResults: 0)
    }
}
