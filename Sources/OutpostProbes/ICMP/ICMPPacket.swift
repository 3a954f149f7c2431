/// Encoding of echo requests and decoding of what comes back.
///
/// An echo request is the 8-byte ICMP header followed by 56 bytes of data (as `ping` and
/// `fping` send): the engine's 64-bit cookie, the probe's 32-bit token, then zeros. Replies
/// echo the data, so a reply proves which probe of which engine it answers even after the
/// 16-bit sequence number wrapped.
enum ICMPPacket {
    /// Bytes of ICMP header plus data in an echo request.
    static let requestLength = 64
    /// Offset of the cookie in the ICMP message.
    static let cookieOffset = 8
    /// Offset of the probe token in the ICMP message.
    static let tokenOffset = 16

    /// Writes an echo request into `buffer` (at least ``requestLength`` bytes).
    static func encodeEchoRequest(
        into buffer: UnsafeMutableRawBufferPointer, isIPv6: Bool,
        identifier: UInt16, sequence: UInt16, cookie: UInt64, token: UInt32
    ) {
        precondition(buffer.count >= requestLength)
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        buffer[0] = isIPv6 ? 128 : 8
        buffer.storeBytes(of: identifier.bigEndian, toByteOffset: 4, as: UInt16.self)
        buffer.storeBytes(of: sequence.bigEndian, toByteOffset: 6, as: UInt16.self)
        buffer.storeBytes(of: cookie.bigEndian, toByteOffset: cookieOffset, as: UInt64.self)
        buffer.storeBytes(of: token.bigEndian, toByteOffset: tokenOffset, as: UInt32.self)
        if !isIPv6 {
            // The kernel computes ICMPv6 checksums (pseudo-header); ICMPv4 is ours. Every other
            // byte is zero, so the sum is that of the fields just written (RFC 1071).
            var sum = UInt32(8) << 8 &+ UInt32(identifier) &+ UInt32(sequence)
            for shift in stride(from: 0, to: 64, by: 16) {
                sum &+= UInt32(truncatingIfNeeded: cookie >> UInt64(shift)) & 0xFFFF
            }
            sum &+= token >> 16 &+ token & 0xFFFF
            buffer.storeBytes(of: foldedComplement(sum).bigEndian, toByteOffset: 2, as: UInt16.self)
        }
    }

    /// The Internet checksum (RFC 1071) of `bytes`.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt16 {
        var sum: UInt32 = 0
        var index = 0
        while index + 1 < bytes.count {
            sum &+= UInt32(UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt16.self)))
            index += 2
        }
        if index < bytes.count { sum &+= UInt32(bytes[index]) << 8 }
        return foldedComplement(sum)
    }

    /// The one's complement of `sum` folded to 16 bits with end-around carry.
    private static func foldedComplement(_ sum: UInt32) -> UInt16 {
        var sum = sum
        while sum >> 16 != 0 { sum = (sum & 0xFFFF) &+ (sum >> 16) }
        return ~UInt16(truncatingIfNeeded: sum)
    }

    /// The parts of an echo request that identify a probe.
    struct ProbeKey: Equatable {
        var identifier: UInt16
        var sequence: UInt16
        /// Cookie and token, when enough of the request's data is present.
        var cookie: UInt64?
        var token: UInt32?
    }

    /// A received ICMP message that may concern one of our probes.
    enum Message: Equatable {
        /// An echo reply.
        case echoReply(ProbeKey)
        /// Destination unreachable or time exceeded about the echo request to `destination`.
        case error(ProbeKey, destination: ICMPAddress)
    }

    /// Decodes one received datagram; `nil` for anything that is not a reply or error about an echo request.
    /// - Parameters:
    ///   - hasIPHeader: raw IPv4 sockets deliver the IP header first.
    static func decode(_ bytes: UnsafeRawBufferPointer, isIPv6: Bool, hasIPHeader: Bool) -> Message? {
        var start = 0
        if hasIPHeader {
            guard let headerLength = ipv4HeaderLength(bytes, at: 0) else { return nil }
            start = headerLength
        }
        guard bytes.count >= start + 8 else { return nil }
        let type = bytes[start]
        let isReply = isIPv6 ? type == 129 : type == 0
        if isReply {
            return .echoReply(probeKey(bytes, at: start))
        }
        let isError = isIPv6 ? (type == 1 || type == 3) : (type == 3 || type == 11)
        guard isError else { return nil }
        return decodeError(bytes, embeddedAt: start + 8, isIPv6: isIPv6)
    }

    /// Decodes the original echo request quoted in an ICMP error.
    private static func decodeError(_ bytes: UnsafeRawBufferPointer, embeddedAt offset: Int, isIPv6: Bool) -> Message? {
        let icmpStart: Int
        let destination: ICMPAddress?
        if isIPv6 {
            // Fixed 40-byte header; requests we send carry no extension headers.
            guard bytes.count >= offset + 48, bytes[offset] >> 4 == 6, bytes[offset + 6] == 58 else { return nil }
            destination = ICMPAddress(bytes: bytes, offset: offset + 24, isIPv6: true)
            icmpStart = offset + 40
        } else {
            guard let headerLength = ipv4HeaderLength(bytes, at: offset), bytes[offset + 9] == 1 else { return nil }
            destination = ICMPAddress(bytes: bytes, offset: offset + 16, isIPv6: false)
            icmpStart = offset + headerLength
        }
        guard let destination, bytes.count >= icmpStart + 8, bytes[icmpStart] == (isIPv6 ? 128 : 8) else { return nil }
        return .error(probeKey(bytes, at: icmpStart), destination: destination)
    }

    /// Reads identifier, sequence and (when present) cookie and token of the ICMP echo message at `start`.
    static func probeKey(_ bytes: UnsafeRawBufferPointer, at start: Int) -> ProbeKey {
        var key = ProbeKey(
            identifier: UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: start + 4, as: UInt16.self)),
            sequence: UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: start + 6, as: UInt16.self))
        )
        if bytes.count >= start + tokenOffset + 4 {
            key.cookie = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: start + cookieOffset, as: UInt64.self))
            key.token = UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: start + tokenOffset, as: UInt32.self))
        }
        return key
    }

    /// The length of the IPv4 header at `offset`, when it is a well-formed IPv4 header.
    private static func ipv4HeaderLength(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int? {
        guard bytes.count >= offset + 20, bytes[offset] >> 4 == 4 else { return nil }
        let length = Int(bytes[offset] & 0x0F) * 4
        guard length >= 20, bytes.count >= offset + length else { return nil }
        return length
    }
}
