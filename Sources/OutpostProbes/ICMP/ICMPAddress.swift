#if canImport(Glibc)
    import Glibc
#endif

/// An IPv4 or IPv6 address in network byte order, as the ICMP engine puts it on the wire.
enum ICMPAddress: Hashable, Sendable {
    /// IPv4 address bytes in network order.
    case v4(in_addr_t)
    /// IPv6 address as two 64-bit halves, each holding the bytes in network order.
    case v6(UInt64, UInt64)

    /// Parses IPv4 dotted-quad or IPv6 text; `nil` for anything else (host names are not resolved).
    init?(parsing text: String) {
        guard text.utf8.count <= 64 else { return nil }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            self = .v4(v4.s_addr)
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            self = withUnsafeBytes(of: v6) { raw in
                .v6(
                    raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                    raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            }
            return
        }
        return nil
    }

    /// Reads the address in `bytes` (4 bytes for IPv4, 16 for IPv6) starting at `offset`.
    init?(bytes: UnsafeRawBufferPointer, offset: Int, isIPv6: Bool) {
        let length = isIPv6 ? 16 : 4
        guard offset >= 0, offset + length <= bytes.count else { return nil }
        if isIPv6 {
            self = .v6(
                bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self),
                bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
        } else {
            self = .v4(bytes.loadUnaligned(fromByteOffset: offset, as: in_addr_t.self))
        }
    }

    /// Reads the address of a `sockaddr_in` / `sockaddr_in6` filled in by the kernel.
    init?(socketAddress storage: sockaddr_storage) {
        var storage = storage
        switch Int32(storage.ss_family) {
        case AF_INET:
            let address = withUnsafeBytes(of: &storage) { $0.loadUnaligned(as: sockaddr_in.self) }
            self = .v4(address.sin_addr.s_addr)
        case AF_INET6:
            let address = withUnsafeBytes(of: &storage) { $0.loadUnaligned(as: sockaddr_in6.self) }
            self = withUnsafeBytes(of: address.sin6_addr) { raw in
                .v6(
                    raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                    raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            }
        default:
            return nil
        }
    }

    /// Whether this is an IPv6 address.
    var isIPv6: Bool {
        if case .v6 = self { return true }
        return false
    }

    /// Calls `body` with a `sockaddr` for this address (port 0) and its length.
    func withSocketAddress<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        switch self {
        case .v4(let raw):
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = raw
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    body($0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        case .v6(let high, let low):
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            withUnsafeMutableBytes(of: &address.sin6_addr) { raw in
                raw.storeBytes(of: high, toByteOffset: 0, as: UInt64.self)
                raw.storeBytes(of: low, toByteOffset: 8, as: UInt64.self)
            }
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    body($0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
    }

    /// Canonical text form (`inet_ntop`).
    var text: String {
        // On the stack: the I/O thread names each finished round's address.
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: Int(INET6_ADDRSTRLEN) + 1) { buffer in
            buffer.initialize(repeating: 0)
            let length = socklen_t(buffer.count)
            switch self {
            case .v4(let raw):
                var address = in_addr(s_addr: raw)
                _ = inet_ntop(AF_INET, &address, buffer.baseAddress, length)
            case .v6(let high, let low):
                var address = in6_addr()
                withUnsafeMutableBytes(of: &address) { raw in
                    raw.storeBytes(of: high, toByteOffset: 0, as: UInt64.self)
                    raw.storeBytes(of: low, toByteOffset: 8, as: UInt64.self)
                }
                _ = inet_ntop(AF_INET6, &address, buffer.baseAddress, length)
            }
            return String(cString: buffer.baseAddress!)
        }
    }
}
