import NIOCore

/// Closes a connection whose peer stayed silent past an `IdleStateHandler`'s read timeout:
/// both sides send heartbeats while idle, so silence means a dead peer or a half-open link.
public final class CloseOnIdleHandler: ChannelInboundHandler, Sendable {
    public typealias InboundIn = NIOAny

    public init() {}

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}

extension ChannelPipeline.SynchronousOperations {
    /// Closes the channel when nothing was read for `timeout` (default: the protocol's heartbeat timeout).
    public func addDeadPeerDetection(timeout: TimeAmount = .seconds(45)) throws {
        try addHandler(IdleStateHandler(readTimeout: timeout))
        try addHandler(CloseOnIdleHandler())
    }
}
