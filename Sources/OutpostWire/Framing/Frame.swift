/// One unit on the byte stream: a 6-byte header (version, type, big-endian payload length)
/// followed by the payload.
///
/// ```
/// +---------+------+----------------+-----------------+
/// | version | type | length (u32 BE)| payload (length)|
/// +---------+------+----------------+-----------------+
/// ```
public struct Frame: Sendable, Hashable {
    /// The protocol version this build writes and accepts.
    public static let protocolVersion: UInt8 = 1
    /// Bytes before the payload.
    public static let headerSize = 6

    /// What the payload holds.
    public var type: MessageType
    /// The message body, decoded by ``Message/init(frame:)``.
    public var payload: [UInt8]

    /// Creates a frame.
    public init(type: MessageType, payload: [UInt8]) {
        self.type = type
        self.payload = payload
    }

    /// Header and payload, ready to write to the stream.
    ///
    /// - Throws: ``WireError/frameTooLarge(declaredLength:maximum:)`` when the payload exceeds
    ///   `maximumPayloadSize` (the peer would refuse it).
    public func encoded(maximumPayloadSize: Int = FrameDecoder.defaultMaximumPayloadSize) throws(WireError) -> [UInt8] {
        let limit = min(maximumPayloadSize, Int(UInt32.max))
        guard payload.count <= limit else {
            throw .frameTooLarge(declaredLength: payload.count, maximum: limit)
        }
        var writer = WireWriter(reservingCapacity: Self.headerSize + payload.count)
        writer.writeByte(Self.protocolVersion)
        writer.writeByte(type.rawValue)
        writer.writeFixed(UInt32(payload.count))
        var bytes = writer.bytes
        bytes.append(contentsOf: payload)
        return bytes
    }
}
