/// Cuts frames out of a byte stream that may end anywhere, including inside a header.
///
/// The decoder keeps no state: it looks at the bytes it is given and either returns one whole
/// frame, returns `nil` ("need more data"), or throws. It validates each header field as soon
/// as its byte has arrived, so a peer speaking another protocol is refused after one byte, and
/// refuses an oversized length before allocating anything for the payload.
///
/// A NIO `ByteToMessageDecoder` wraps it as:
/// ```swift
/// guard let (frame, consumed) = try buffer.withUnsafeReadableBytes({ try decoder.decodeFrame(in: $0) })
/// else { return .needMoreData }
/// buffer.moveReaderIndex(forwardBy: consumed)
/// ```
public struct FrameDecoder: Sendable {
    /// 16 MiB: the default largest payload accepted.
    public static let defaultMaximumPayloadSize = 16 * 1024 * 1024

    /// The largest payload length accepted; a header declaring more is refused.
    public let maximumPayloadSize: Int

    /// Creates a decoder refusing payloads longer than `maximumPayloadSize` bytes
    /// (clamped to 0...`UInt32.max`, what the length field can express).
    public init(maximumPayloadSize: Int = FrameDecoder.defaultMaximumPayloadSize) {
        self.maximumPayloadSize = max(0, min(maximumPayloadSize, Int(UInt32.max)))
    }

    /// Decodes the frame at the start of `bytes`.
    ///
    /// - Returns: the frame and how many bytes of `bytes` it occupied, or `nil` when `bytes`
    ///   holds only the beginning of a valid frame.
    /// - Throws: ``WireError/unsupportedVersion(_:)``, ``WireError/unknownMessageType(_:)`` or
    ///   ``WireError/frameTooLarge(declaredLength:maximum:)``; the stream is then unusable.
    public func decodeFrame<Bytes: RandomAccessCollection<UInt8>>(in bytes: Bytes) throws(WireError) -> (
        frame: Frame, consumed: Int
    )? {
        var index = bytes.startIndex
        guard index != bytes.endIndex else { return nil }
        let version = bytes[index]
        guard version == Frame.protocolVersion else { throw .unsupportedVersion(version) }

        index = bytes.index(after: index)
        guard index != bytes.endIndex else { return nil }
        guard let type = MessageType(rawValue: bytes[index]) else { throw .unknownMessageType(bytes[index]) }

        guard bytes.count >= Frame.headerSize else { return nil }
        var length = 0
        for _ in 0..<4 {
            index = bytes.index(after: index)
            length = length << 8 | Int(bytes[index])
        }
        guard length <= maximumPayloadSize else {
            throw .frameTooLarge(declaredLength: length, maximum: maximumPayloadSize)
        }
        guard bytes.count - Frame.headerSize >= length else { return nil }

        let payloadStart = bytes.index(after: index)
        let payloadEnd = bytes.index(payloadStart, offsetBy: length)
        return (Frame(type: type, payload: Array(bytes[payloadStart..<payloadEnd])), Frame.headerSize + length)
    }

    /// Decodes the frame at the start of `buffer` and drops its bytes from the buffer.
    ///
    /// - Returns: the frame, or `nil` (buffer untouched) when more bytes are needed.
    public func decodeFrame(from buffer: inout ArraySlice<UInt8>) throws(WireError) -> Frame? {
        guard let (frame, consumed) = try decodeFrame(in: buffer) else { return nil }
        buffer.removeFirst(consumed)
        return frame
    }
}
