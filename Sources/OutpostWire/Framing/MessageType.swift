/// The type byte of a frame: which message its payload holds. Values are fixed by
/// `docs/protocol.md`; a byte not listed here is refused with ``WireError/unknownMessageType(_:)``.
public enum MessageType: UInt8, Sendable, CaseIterable {
    case hello = 0x01
    case welcome = 0x02
    case heartbeat = 0x03
    case error = 0x04
    case batch = 0x10
    case ack = 0x11
    case nack = 0x12
    case config = 0x20
    case job = 0x30
    case jobProgress = 0x31
    case jobResult = 0x32
    case jobCancel = 0x33
    case renewRequest = 0x40
    case renewResponse = 0x41
}
