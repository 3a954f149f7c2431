/// Why bytes were refused. Every case names what was wrong so a peer's bug can be found from
/// a log line; none of them carries payload contents (batches may hold device data).
public enum WireError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A frame header declared a payload longer than the decoder's maximum; nothing was allocated.
    case frameTooLarge(declaredLength: Int, maximum: Int)
    /// The frame's version byte is not one this build speaks.
    case unsupportedVersion(UInt8)
    /// The frame's type byte names no known message.
    case unknownMessageType(UInt8)
    /// A message ended inside the named field.
    case truncated(field: String)
    /// A message was complete but bytes followed it.
    case trailingBytes(count: Int)
    /// A field's value is out of its allowed range or malformed.
    case invalidField(field: String, reason: String)
    /// A serialized signed batch starts with a format byte this build does not know.
    case unsupportedSignedBatchFormat(UInt8)
    /// The batch's signature does not verify with the given public key: the bytes were altered
    /// or signed by another key. The batch was not decoded.
    case signatureInvalid

    public var description: String {
        switch self {
        case .frameTooLarge(let declared, let maximum):
            "frame declares \(declared) payload bytes, more than the maximum of \(maximum)"
        case .unsupportedVersion(let version):
            "unsupported protocol version \(version)"
        case .unknownMessageType(let type):
            "unknown message type 0x\(String(type, radix: 16))"
        case .truncated(let field):
            "message truncated in field '\(field)'"
        case .trailingBytes(let count):
            "\(count) unexpected bytes after the end of the message"
        case .invalidField(let field, let reason):
            "invalid field '\(field)': \(reason)"
        case .unsupportedSignedBatchFormat(let format):
            "unsupported signed batch format \(format)"
        case .signatureInvalid:
            "batch signature does not verify with the agent's public key"
        }
    }
}
