/// A fatal session error: the sender closes the connection after writing it.
public struct ErrorMessage: Sendable, Equatable {
    /// What went wrong, for programs.
    public var code: ErrorCode
    /// What went wrong, for people (at most 4096 UTF-8 bytes; never secrets).
    public var message: String

    /// Creates an error message.
    public init(code: ErrorCode, message: String) {
        self.code = code
        self.message = message
    }

    init(from reader: inout WireReader) throws(WireError) {
        code = ErrorCode(rawValue: try reader.readVarUInt(UInt16.self, field: "error.code"))
        message = try reader.readString(field: "error.message", maximumLength: WireLimits.longText)
    }

    func encode(to writer: inout WireWriter) throws(WireError) {
        writer.writeVarUInt(UInt64(code.rawValue))
        try writer.writeString(message, field: "error.message", maximumLength: WireLimits.longText)
    }
}

/// The code of an ``ErrorMessage``. Open: a code this build does not know is kept as is.
public struct ErrorCode: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt16

    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// The peer broke the protocol: bad frame, bad message, message not allowed in this state.
    public static let protocolViolation = ErrorCode(rawValue: 1)
    /// The peer's protocol version is not supported.
    public static let unsupportedVersion = ErrorCode(rawValue: 2)
    /// The agent is unknown, disabled or its certificate revoked.
    public static let unauthorized = ErrorCode(rawValue: 3)
    /// The sender hit an internal failure; the session may be retried later.
    public static let internalError = ErrorCode(rawValue: 4)
    /// The sender is shutting down; reconnect (possibly to another collector).
    public static let shuttingDown = ErrorCode(rawValue: 5)
    /// No heartbeat or message arrived in time.
    public static let timeout = ErrorCode(rawValue: 6)
    /// A ``RenewRequest`` was refused. Not fatal: the session goes on, and the agent retries
    /// later (or, once its certificate has expired, needs a new enrolment token).
    public static let renewalRefused = ErrorCode(rawValue: 7)
}
