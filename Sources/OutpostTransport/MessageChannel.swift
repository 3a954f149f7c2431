import NIOCore
import OutpostWire

/// A connection carrying Outpost messages in both directions, as an async sequence and writer.
public typealias MessageChannel = NIOAsyncChannel<Message, Message>

extension ChannelPipeline.SynchronousOperations {
    /// Adds the frame codec and wraps the channel for async use; call on the channel's event loop
    /// after the TLS handler.
    public func addMessageCodec(maximumPayloadSize: Int = FrameDecoder.defaultMaximumPayloadSize) throws {
        try addHandler(ByteToMessageHandler(MessageFrameDecoder(maximumPayloadSize: maximumPayloadSize)))
        try addHandler(MessageToByteHandler(MessageFrameEncoder(maximumPayloadSize: maximumPayloadSize)))
    }
}
