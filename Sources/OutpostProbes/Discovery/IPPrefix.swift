#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IPv4 or IPv6 network prefix such as `10.1.0.0/16` or `fd00::/120`; a bare address is
/// a host prefix (`/32` or `/128`).
public struct IPPrefix: Sendable, Hashable, CustomStringConvertible {
    /// The address family of a prefix.
    public enum Family: Sendable, Hashable {
        /// IPv4, 32-bit addresses.
        case ipv4
        /// IPv6, 128-bit addresses.
        case ipv6

        /// Address width in bits.
        var bits: Int { self == .ipv4 ? 32 : 128 }
    }

    /// The address family.
    public let family: Family
    /// The prefix length in bits.
    public let length: Int
    /// The first address of the prefix, as a number (IPv4 in the low 32 bits).
    let network: UInt128

    /// Parses `address/length` or a bare address. Host bits must be zero: `10.0.0.5/24` is
    /// refused rather than silently widened, since it is usually a typo.
    /// - Throws: ``DiscoveryTargetError/invalidPrefix(_:reason:)``.
    public init(parsing text: String) throws(DiscoveryTargetError) {
        let shown = String(text.prefix(64))
        let parts = text.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw .invalidPrefix(shown, reason: "expected an address or address/length") }
        guard let address = Self.parseAddress(String(parts[0])) else {
            throw .invalidPrefix(shown, reason: "not an IPv4 or IPv6 address")
        }
        family = address.family
        if parts.count == 2 {
            guard let value = Int(parts[1]), (0...family.bits).contains(value) else {
                throw .invalidPrefix(shown, reason: "prefix length must be 0...\(family.bits)")
            }
            length = value
        } else {
            length = family.bits
        }
        network = address.value
        guard address.value & hostMask == 0 else {
            throw .invalidPrefix(
                shown,
                reason:
                    "host bits are set; the network is \(Self.text(of: address.value & ~hostMask, family: family))/\(length)"
            )
        }
    }

    /// Mask of the host bits within the family's width.
    private var hostMask: UInt128 {
        let hostBits = family.bits - length
        return hostBits == 0 ? 0 : (hostBits == 128 ? .max : (UInt128(1) << hostBits) - 1)
    }

    /// All addresses of the prefix, first and last included.
    var addressInterval: AddressInterval { AddressInterval(lower: network, upper: network | hostMask) }

    /// The addresses a sweep probes: for IPv4 prefixes shorter than /31 the network and
    /// broadcast addresses are left out; /31 (RFC 3021), /32 and every IPv6 prefix keep all.
    var hostInterval: AddressInterval {
        let all = addressInterval
        guard family == .ipv4, length < 31 else { return all }
        return AddressInterval(lower: all.lower + 1, upper: all.upper - 1)
    }

    public var description: String { "\(Self.text(of: network, family: family))/\(length)" }

    /// Parses an address literal into its number.
    static func parseAddress(_ text: String) -> (family: Family, value: UInt128)? {
        guard text.utf8.count <= 45 else { return nil }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return (.ipv4, UInt128(UInt32(bigEndian: v4.s_addr)))
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            let value = withUnsafeBytes(of: v6) { raw in raw.reduce(UInt128(0)) { $0 << 8 | UInt128($1) } }
            return (.ipv6, value)
        }
        return nil
    }

    /// The canonical text of an address number (`inet_ntop`).
    static func text(of value: UInt128, family: Family) -> String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        switch family {
        case .ipv4:
            var address = in_addr(s_addr: UInt32(truncatingIfNeeded: value).bigEndian)
            inet_ntop(AF_INET, &address, &buffer, socklen_t(buffer.count))
        case .ipv6:
            var address = in6_addr()
            withUnsafeMutableBytes(of: &address) { raw in
                for index in 0..<16 { raw[index] = UInt8(truncatingIfNeeded: value >> (8 * (15 - index))) }
            }
            inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count))
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
