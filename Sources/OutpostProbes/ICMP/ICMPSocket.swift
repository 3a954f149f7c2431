import CSocketBatch

#if canImport(Glibc)
    import Glibc
#endif

/// The kind of ICMP socket an engine uses.
public enum ICMPSocketKind: Sendable, Hashable, CustomStringConvertible {
    /// `SOCK_RAW`: needs `CAP_NET_RAW`; sees every ICMP message of the host.
    case raw
    /// `SOCK_DGRAM` with `IPPROTO_ICMP`: unprivileged, the kernel assigns the identifier.
    case datagram

    public var description: String { self == .raw ? "raw" : "datagram" }
}

/// One non-blocking ICMP socket of one address family. Owned by the engine's I/O thread.
struct ICMPSocket: Sendable {
    let fd: Int32
    let kind: ICMPSocketKind
    let isIPv6: Bool
    /// The identifier replies must carry: ours on raw sockets, the kernel's on datagram sockets.
    let identifier: UInt16

    /// Whether received IPv4 datagrams start with the IP header.
    var hasIPHeader: Bool { kind == .raw && !isIPv6 }

    /// Opens a socket of `kind`; raw sockets stamp `identifier` on requests.
    static func open(kind: ICMPSocketKind, isIPv6: Bool, identifier: UInt16, receiveBufferBytes: Int)
        throws(ICMPEngineError) -> ICMPSocket
    {
        let family = isIPv6 ? AF_INET6 : AF_INET
        let type =
            Int32((kind == .raw ? SOCK_RAW : SOCK_DGRAM).rawValue) | Int32(SOCK_NONBLOCK.rawValue)
            | Int32(SOCK_CLOEXEC.rawValue)
        let proto = isIPv6 ? Int32(IPPROTO_ICMPV6) : Int32(IPPROTO_ICMP)
        let fd = socket(family, type, proto)
        let name = "\(kind) ICMP\(isIPv6 ? "v6" : "v4") socket"
        guard fd >= 0 else {
            let code = errno
            throw ICMPEngineError(description: "cannot open \(name): \(errorText(code))", code: code)
        }
        do {
            try configure(fd: fd, kind: kind, isIPv6: isIPv6, receiveBufferBytes: receiveBufferBytes, name: name)
            let assigned = kind == .raw ? identifier : try boundIdentifier(fd: fd, isIPv6: isIPv6, name: name)
            return ICMPSocket(fd: fd, kind: kind, isIPv6: isIPv6, identifier: assigned)
        } catch {
            close(fd)
            throw error
        }
    }

    private static func configure(fd: Int32, kind: ICMPSocketKind, isIPv6: Bool, receiveBufferBytes: Int, name: String)
        throws(ICMPEngineError)
    {
        // SO_RCVBUFFORCE passes net.core.rmem_max when privileged; SO_RCVBUF is capped by it.
        if setOption(fd, SOL_SOCKET, SO_RCVBUFFORCE, Int32(receiveBufferBytes)) != 0 {
            _ = setOption(fd, SOL_SOCKET, SO_RCVBUF, Int32(receiveBufferBytes))
        }
        switch (kind, isIPv6) {
        case (.raw, false):
            // ICMP_FILTER (SOL_RAW): a set bit drops that type. Keep echo reply (0),
            // destination unreachable (3) and time exceeded (11); drop our own requests on loopback.
            let keep: UInt32 = 1 << 0 | 1 << 3 | 1 << 11
            guard setOption(fd, 255, 1, Int32(bitPattern: ~keep)) == 0 else {
                throw ICMPEngineError(
                    description: "cannot set ICMP_FILTER on \(name): \(errorText(errno))", code: errno)
            }
        case (.raw, true):
            var filter = [UInt32](repeating: .max, count: 8)
            for type in [1, 3, 129] { filter[type >> 5] &= ~(1 << UInt32(type & 31)) }
            let status = filter.withUnsafeBytes {
                setsockopt(fd, Int32(IPPROTO_ICMPV6), 1, $0.baseAddress, socklen_t($0.count))
            }
            guard status == 0 else {
                throw ICMPEngineError(
                    description: "cannot set ICMP6_FILTER on \(name): \(errorText(errno))", code: errno)
            }
        case (.datagram, false):
            // ICMP errors about our requests arrive on the error queue (IP_RECVERR).
            _ = setOption(fd, Int32(IPPROTO_IP), IP_RECVERR, 1)
        case (.datagram, true):
            _ = setOption(fd, Int32(IPPROTO_IPV6), IPV6_RECVERR, 1)
        }
        if !isIPv6 {
            // Requests carry "don't fragment" anyway (path MTU discovery); insisting on it lets
            // the kernel skip choosing an IP identification for each 84-byte request.
            _ = setOption(fd, Int32(IPPROTO_IP), IP_MTU_DISCOVER, IP_PMTUDISC_DO)
        }
    }

    /// Binds a datagram ICMP socket to an ephemeral identifier and reads it back.
    private static func boundIdentifier(fd: Int32, isIPv6: Bool, name: String) throws(ICMPEngineError) -> UInt16 {
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
        // sin_port and sin6_port sit at the same offset and hold the identifier.
        let port = withUnsafeBytes(of: &storage) { $0.loadUnaligned(fromByteOffset: 2, as: UInt16.self) }
        return UInt16(bigEndian: port)
    }

    private static func setOption(_ fd: Int32, _ level: Int32, _ option: Int32, _ value: Int32) -> Int32 {
        var value = value
        return setsockopt(fd, level, option, &value, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Sends the messages of `batch` in order with as few `sendmmsg` calls as the kernel allows,
    /// and returns how many it dealt with: the first ones of the batch, each sent or marked
    /// refused (``ICMPMessageBatch/isRefused(_:)``: the kernel refused that request, e.g. no
    /// route, and it counts as lost). Fewer than `batch.count` when the socket buffer is full:
    /// the rest can go when the socket is writable.
    ///
    /// An ICMP error received on the socket (a "host unreachable" for another target) stays
    /// pending as the socket's error, and the next send reports it once instead of sending:
    /// the kernel would fail a probe to a healthy target for another target's error. A refused
    /// request is therefore tried once more; a request refused for its own sake fails again.
    func send(_ batch: ICMPMessageBatch) -> Int {
        var index = 0
        var retried = false
        while index < batch.count {
            let sent = outpost_sendmmsg(
                fd, batch.headers.advanced(by: index), UInt32(batch.count - index), Int32(MSG_DONTWAIT))
            if sent > 0 {
                // The kernel stops at a request it refuses and drops that error: the next call
                // starts with it and reports it.
                index += Int(sent)
                retried = false
                continue
            }
            let code = errno
            if code == EAGAIN || code == EWOULDBLOCK || code == ENOBUFS { return index }
            if code == EINTR { continue }
            if !retried {
                retried = true
                continue
            }
            batch.markRefused(index)
            index += 1
            retried = false
        }
        return index
    }

    /// Receives into `batch` as many queued datagrams as it holds, without waiting; returns
    /// how many (0 when none is queued). Transient socket errors (reported ICMP errors on
    /// datagram sockets) are skipped.
    func receive(into batch: ICMPMessageBatch) -> Int {
        for _ in 0..<8 {
            batch.prepareForReceive()
            let count = outpost_recvmmsg(fd, batch.headers, UInt32(batch.capacity), Int32(MSG_DONTWAIT))
            if count >= 0 {
                batch.setReceived(Int(count))
                return Int(count)
            }
            if errno == EAGAIN || errno == EWOULDBLOCK { return 0 }
        }
        return 0
    }

    /// Receives one ICMP error from a datagram socket's error queue: the echo request it quotes,
    /// and whether it is an ICMP error (not a local one). `nil` when the queue is empty.
    func receiveError(into buffer: UnsafeMutableRawBufferPointer) -> (
        length: Int, destination: ICMPAddress?, isICMP: Bool
    )? {
        var storage = sockaddr_storage()
        var control = [UInt64](repeating: 0, count: 64)
        return control.withUnsafeMutableBytes { controlBytes in
            var vector = iovec(iov_base: buffer.baseAddress, iov_len: buffer.count)
            return withUnsafeMutablePointer(to: &vector) { vectorPointer in
                withUnsafeMutablePointer(to: &storage) { storagePointer in
                    var message = msghdr()
                    message.msg_name = UnsafeMutableRawPointer(storagePointer)
                    message.msg_namelen = socklen_t(MemoryLayout<sockaddr_storage>.size)
                    message.msg_iov = vectorPointer
                    message.msg_iovlen = 1
                    message.msg_control = controlBytes.baseAddress
                    message.msg_controllen = controlBytes.count
                    let count = recvmsg(fd, &message, Int32(MSG_ERRQUEUE) | Int32(MSG_DONTWAIT))
                    guard count >= 0 else { return nil }
                    return (count, ICMPAddress(socketAddress: storagePointer.pointee), Self.isICMPOrigin(message))
                }
            }
        }
    }

    /// Whether the `sock_extended_err` in `message` comes from an ICMP message.
    private static func isICMPOrigin(_ message: msghdr) -> Bool {
        guard let control = message.msg_control else { return false }
        let bytes = UnsafeRawBufferPointer(start: control, count: message.msg_controllen)
        let headerSize = MemoryLayout<cmsghdr>.size
        var offset = 0
        while offset + headerSize <= bytes.count {
            let header = bytes.loadUnaligned(fromByteOffset: offset, as: cmsghdr.self)
            let isRecvErr =
                (header.cmsg_level == Int32(IPPROTO_IP) && header.cmsg_type == IP_RECVERR)
                || (header.cmsg_level == Int32(IPPROTO_IPV6) && header.cmsg_type == IPV6_RECVERR)
            // struct sock_extended_err: ee_errno (4 bytes), then ee_origin.
            if isRecvErr, offset + headerSize + 5 <= bytes.count {
                let origin = bytes[offset + headerSize + 4]
                return origin == 2 || origin == 3  // SO_EE_ORIGIN_ICMP, SO_EE_ORIGIN_ICMP6
            }
            guard header.cmsg_len >= headerSize else { return false }
            offset += (Int(header.cmsg_len) + 7) & ~7
        }
        return false
    }
}

/// `strerror` text for `code`.
func errorText(_ code: Int32) -> String {
    String(cString: strerror(code)) + " (errno \(code))"
}
