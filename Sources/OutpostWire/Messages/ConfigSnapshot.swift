/// A configuration snapshot pushed to an agent: an opaque, versioned payload. Its content
/// (templates, devices, credentials) is defined by the configuration module; the wire only
/// carries it and its version so the agent can cache it and report what it runs.
public struct ConfigSnapshot: Sendable, Equatable {
    /// Identifies the snapshot, e.g. a content hash (at most 255 UTF-8 bytes).
    public var version: String
    /// The snapshot's encoded content.
    public var payload: [UInt8]

    /// Creates a snapshot container.
    public init(version: String, payload: [UInt8]) {
        self.version = version
        self.payload = payload
    }

    init(from reader: inout WireReader) throws(WireError) {
        version = try reader.readString(field: "config.version", maximumLength: WireLimits.shortText)
        payload = try reader.readBytes(field: "config.payload")
    }

    func encode(to writer: inout WireWriter) throws(WireError) {
        try writer.writeString(version, field: "config.version", maximumLength: WireLimits.shortText)
        writer.writeBytes(payload)
    }
}
