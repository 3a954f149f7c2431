#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Whether a text is an IPv4 or IPv6 address literal, as `inet_pton` reads them: what the
/// collector accepts from the network as an address, and where no name lookup may happen.
public enum IPAddressText {
    /// `true` for dotted-quad IPv4 or RFC 4291 IPv6 text (no zone, no prefix length).
    public static func isValid(_ text: String) -> Bool {
        var storage = in6_addr()
        return text.withCString { pointer in
            inet_pton(AF_INET, pointer, &storage) == 1 || inet_pton(AF_INET6, pointer, &storage) == 1
        }
    }
}
