/// Upper bounds of the variable-length fields, beyond the frame's own limit. They are part
/// of the protocol (`docs/protocol.md`, "Limits"): encoders refuse and decoders reject longer values.
enum WireLimits {
    /// Version strings, config versions, device addresses as text.
    static let shortText = 255
    /// Human-readable messages: error text, job progress detail, SNMP poll errors.
    static let longText = 4096
    /// SNMP OID in dotted text (128 sub-identifiers of up to 10 digits each, with dots).
    static let objectIdentifierText = 1408
    /// Certificates in a renewal response's chain.
    static let certificateChainLength = 8
}
