import NIOCore
import OutpostWire

/// Decodes Outpost frames from a byte stream into messages.
///
/// Bounded before allocation by ``FrameDecoder/maximumPayloadSize``; any malformed frame throws,
/// which closes only this connection.
public struct MessageFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = Message

    private let frames: FrameDecoder

    /// A decoder refusing frames larger than `maximumPayloadSize`.
    public init(maximumPayloadSize: Int = FrameDecoder.defaultMaximumPayloadSize) {
        frames = FrameDecoder(maximumPayloadSize: maximumPayloadSize)
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let frames = self.frames
        let decoded = try buffer.withUnsafeReadableBytes { bytes throws(WireError) in
            try frames.decodeFrame(in: bytes)
        }
        guard let (frame, consumed) = decoded else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: consumed)
        context.fireChannelRead(wrapInboundOut(try Message(frame: frame)))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws
        -> DecodingState
    {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}

/// Encodes messages as Outpost frames.
public struct MessageFrameEncoder: MessageToByteEncoder {
    public typealias OutboundIn = Message

    private let maximumPayloadSize: Int

    /// An encoder refusing to send frames larger than `maximumPayloadSize`.
    public init(maximumPayloadSize: Int = FrameDecoder.defaultMaximumPayloadSize) {
        self.maximumPayloadSize = maximumPayloadSize
    }

    public func encode(data: Message, out: inout ByteBuffer) throws {
        out.writeBytes(try data.encodedFrame(maximumPayloadSize: maximumPayloadSize))
    }
}
