#if canImport(Glibc)
    import Glibc
#endif

/// The sockets of one address family of a ``TraceEngine``, owned by its I/O thread.
///
/// The ICMP socket is a raw one opened like the ping engine's (``ICMPSocket``): it receives the
/// echo replies and, for every protocol, the time exceeded and unreachable messages. UDP probes
/// leave from a bound datagram socket; TCP probes from a raw TCP socket, their source port
/// reserved by a bound (never listening) stream socket so no other socket of the host uses it.
struct TraceSockets {
    let isIPv6: Bool
    let icmp: ICMPSocket
    let udp: Int32
    let udpPort: UInt16
    /// Raw TCP socket (also receives the SYN-ACKs and RSTs), when TCP probes are enabled.
    let tcp: Int32?
    /// The stream socket holding ``tcpPort``.
    let tcpReservation: Int32?
    let tcpPort: UInt16

    /// Opens the sockets of one family.
    static func open(isIPv6: Bool, identifier: UInt16, receiveBufferBytes: Int, tcp enableTCP: Bool)
        throws(ICMPEngineError) -> TraceSockets
    {
        let icmp = try ICMPSocket.open(
            kind: .raw, isIPv6: isIPv6, identifier: identifier, receiveBufferBytes: receiveBufferBytes)
        var opened: [Int32] = [icmp.fd]
        do {
            let family = isIPv6 ? AF_INET6 : AF_INET
            let flags = Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
            let udp = try checked(socket(family, Int32(SOCK_DGRAM.rawValue) | flags, 0), "UDP socket")
            opened.append(udp)
            let udpPort = try bindEphemeral(udp, isIPv6: isIPv6, name: "UDP socket")
            var tcp: Int32?
            var reservation: Int32?
            var tcpPort: UInt16 = 0
            if enableTCP {
                let held = try checked(socket(family, Int32(SOCK_STREAM.rawValue) | flags, 0), "TCP port socket")
                opened.append(held)
                tcpPort = try bindEphemeral(held, isIPv6: isIPv6, name: "TCP port socket")
                let raw = try checked(
                    socket(family, Int32(SOCK_RAW.rawValue) | flags, Int32(IPPROTO_TCP)), "raw TCP socket")
                opened.append(raw)
                if isIPv6 {
                    // The kernel fills in the TCP checksum (with the IPv6 pseudo-header) at offset 16.
                    var offset: Int32 = 16
                    setsockopt(raw, Int32(IPPROTO_IPV6), IPV6_CHECKSUM, &offset, socklen_t(MemoryLayout<Int32>.size))
                }
                tcp = raw
                reservation = held
            }
            return TraceSockets(
                isIPv6: isIPv6, icmp: icmp, udp: udp, udpPort: udpPort, tcp: tcp, tcpReservation: reservation,
                tcpPort: tcpPort)
        } catch {
            for fd in opened { Glibc.close(fd) }
            throw error
        }
    }

    private static func checked(_ fd: Int32, _ name: String) throws(ICMPEngineError) -> Int32 {
        guard fd >= 0 else {
            throw ICMPEngineError(description: "cannot open \(name): \(errorText(errno))", code: errno)
        }
        return fd
    }

    private static func bindEphemeral(_ fd: Int32, isIPv6: Bool, name: String) throws(ICMPEngineError) -> UInt16 {
        var storage = sockaddr_storage()
        storage.ss_family = sa_family_t(isIPv6 ? AF_INET6 : AF_INET)
        let length = socklen_t(isIPv6 ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        var actualLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &actualLength) }
        }
        guard bound == 0, named == 0 else {
            throw ICMPEngineError(description: "cannot bind \(name): \(errorText(errno))", code: errno)
        }
        // sin_port and sin6_port sit at the same offset.
        return UInt16(bigEndian: withUnsafeBytes(of: &storage) { $0.loadUnaligned(fromByteOffset: 2, as: UInt16.self) })
    }

    /// The fds to close when the engine stops.
    var all: [Int32] { [icmp.fd, udp] + [tcp, tcpReservation].compactMap { $0 } }

    /// Sets the TTL / hop limit of the next packets sent on `fd`.
    func setHopLimit(_ fd: Int32, _ hops: Int) {
        var value = Int32(hops)
        let size = socklen_t(MemoryLayout<Int32>.size)
        if isIPv6 {
            setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_UNICAST_HOPS, &value, size)
        } else {
            setsockopt(fd, Int32(IPPROTO_IP), IP_TTL, &value, size)
        }
    }

    /// The local IPv4 address the kernel would use towards `destination` (for TCP checksums).
    func ipv4Source(towards destination: ICMPAddress) -> UInt32? {
        guard case .v4 = destination else { return nil }
        let probe = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard probe >= 0 else { return nil }
        defer { Glibc.close(probe) }
        let connected = destination.withSocketAddress(port: 9) { connect(probe, $0, $1) }
        guard connected == 0 else { return nil }
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(probe, $0, &length) }
        }
        return named == 0 ? address.sin_addr.s_addr : nil
    }

    /// Sends `packet` on `fd` to `destination`; `true` when the kernel took it, `nil` when the buffer is full.
    func send(_ packet: UnsafeRawBufferPointer, on fd: Int32, to destination: ICMPAddress, port: UInt16) -> Bool? {
        let result = destination.withSocketAddress(port: port) { address, length in
            sendto(fd, packet.baseAddress, packet.count, Int32(MSG_DONTWAIT), address, length)
        }
        if result >= 0 { return true }
        let code = errno
        return code == EAGAIN || code == EWOULDBLOCK || code == ENOBUFS ? nil : false
    }
}
