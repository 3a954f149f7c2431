#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Validation of host names and IP literals used in SANs and enrolment tokens.
enum HostName {
    /// A DNS host name: 1 to 253 characters, dot-separated labels of 1 to 63 letters, digits
    /// and inner hyphens, the last one not all digits (so `300.1.1.1` is no host name).
    /// No trailing dot, no wildcards.
    static func isValidDNSName(_ name: String) -> Bool {
        guard (1...253).contains(name.utf8.count) else { return false }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        if let last = labels.last, last.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) {
            return false
        }
        return labels.allSatisfy { label in
            guard (1...63).contains(label.utf8.count), label.first != "-", label.last != "-" else { return false }
            return label.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || byte == UInt8(ascii: "-")
            }
        }
    }

    /// The 4 or 16 network-order bytes of an IPv4 or IPv6 literal; `nil` if it is neither.
    static func ipAddressBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    /// A DNS name or an IP literal.
    static func isValidHost(_ host: String) -> Bool {
        isValidDNSName(host) || ipAddressBytes(host) != nil
    }
}
