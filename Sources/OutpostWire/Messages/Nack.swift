import OutpostCore

/// A batch the collector did not store. Whether the agent retries depends on ``reason``.
public struct Nack: Sendable, Equatable {
    /// The refused batch's sequence (as read from its header; 0 if unreadable).
    public var sequence: BatchSequence
    /// Why it was refused.
    public var reason: NackReason
    /// For transient reasons: how long to wait before sending it again, in milliseconds.
    public var retryAfterMilliseconds: UInt32?
    /// What exactly was wrong, for the agent's log: the field and the value's fault
    /// (at most 255 UTF-8 bytes).
    public var detail: String?

    /// Creates a nack.
    public init(
        sequence: BatchSequence, reason: NackReason, retryAfterMilliseconds: UInt32? = nil, detail: String? = nil
    ) {
        self.sequence = sequence
        self.reason = reason
        self.retryAfterMilliseconds = retryAfterMilliseconds
        self.detail = detail
    }

    /// `text` cut to the 255 UTF-8 bytes a ``detail`` may hold, at a character boundary.
    public static func detail(_ text: String) -> String {
        guard text.utf8.count > WireLimits.shortText else { return text }
        var cut = ""
        for character in text {
            guard cut.utf8.count + character.utf8.count <= WireLimits.shortText else { break }
            cut.append(character)
        }
        return cut
    }

    init(from reader: inout WireReader) throws(WireError) {
        sequence = try reader.readVarUInt(field: "nack.sequence")
        reason = NackReason(rawValue: try reader.readVarUInt(UInt16.self, field: "nack.reason"))
        retryAfterMilliseconds =
            try reader.readPresence(field: "nack.retryAfter")
            ? try reader.readVarUInt(UInt32.self, field: "nack.retryAfter")
            : nil
        detail =
            try reader.readPresence(field: "nack.detail")
            ? try reader.readString(field: "nack.detail", maximumLength: WireLimits.shortText)
            : nil
    }

    func encode(to writer: inout WireWriter) throws(WireError) {
        writer.writeVarUInt(sequence)
        writer.writeVarUInt(UInt64(reason.rawValue))
        writer.writePresence(retryAfterMilliseconds != nil)
        if let retryAfterMilliseconds { writer.writeVarUInt(UInt64(retryAfterMilliseconds)) }
        writer.writePresence(detail != nil)
        if let detail { try writer.writeString(detail, field: "nack.detail", maximumLength: WireLimits.shortText) }
    }
}

/// Why a batch was refused. Open: a code this build does not know is kept as is and handled
/// like a transient refusal.
public struct NackReason: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt16

    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// Permanent: the signature does not verify with the agent's certificate key.
    public static let invalidSignature = NackReason(rawValue: 1)
    /// Permanent: the signature verified but the batch does not decode.
    public static let malformedBatch = NackReason(rawValue: 2)
    /// Permanent: the batch names another agent than the session's certificate.
    public static let agentMismatch = NackReason(rawValue: 3)
    /// Transient: the collector is overloaded; retry after the given delay.
    public static let overloaded = NackReason(rawValue: 4)
    /// Transient: storage is unavailable; retry after the given delay.
    public static let storageUnavailable = NackReason(rawValue: 5)

    /// Whether resending the same bytes can ever succeed.
    public var isPermanent: Bool {
        self == .invalidSignature || self == .malformedBatch || self == .agentMismatch
    }
}
