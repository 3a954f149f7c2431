/// Encoding of trace probes and decoding of what comes back.
///
/// Every probe carries its slot in the engine's probe table where the answer quotes it: the
/// ICMP echo sequence number, the UDP destination port (33434 + slot, as `traceroute`), or the
/// TCP sequence number. ICMP and UDP probes also carry the engine's cookie and the probe's token
/// in their data, as ``ICMPPacket`` does, so an answer is matched to one probe of one engine.
enum TracePacket {
    /// The first UDP destination port; slot `n` uses `udpBasePort + n`.
    static let udpBasePort: UInt16 = 33434
    /// Bytes of data in a UDP probe: cookie, token, zeros.
    static let udpPayloadLength = 32
    /// Bytes of a TCP SYN probe (header only).
    static let tcpLength = 20
    /// Bits of a TCP sequence number that hold the slot (the rest holds the token's low bits).
    static let tcpSlotShift: UInt32 = 18

    /// Which probe an answer is about.
    struct Match: Equatable {
        var probeProtocol: TraceConfiguration.ProbeProtocol
        var slot: UInt16
        /// The probe's token (or its low bits for TCP), when quoted.
        var token: UInt32?
        /// Whose token holds only ``tcpSlotShift`` low bits.
        var tokenMask: UInt32 = .max
        /// The quoted destination of the probe (errors only).
        var destination: ICMPAddress?
    }

    /// An answer to one of our probes.
    struct Answer: Equatable {
        var match: Match
        var reply: TraceReplyKind
        var mplsLabels: [MPLSLabel] = []
    }

    /// The engine's identity on the wire.
    struct Identity {
        /// ICMP echo identifier.
        var identifier: UInt16
        /// Cookie in ICMP and UDP data.
        var cookie: UInt64
        /// Source port of UDP probes (the UDP socket's bound port).
        var udpPort: UInt16
        /// Source port of TCP probes.
        var tcpPort: UInt16
    }

    // MARK: Encoding

    /// Writes the data of a UDP probe into `buffer` (at least ``udpPayloadLength`` bytes).
    static func encodeUDPPayload(into buffer: UnsafeMutableRawBufferPointer, cookie: UInt64, token: UInt32) {
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        buffer.storeBytes(of: cookie.bigEndian, toByteOffset: 0, as: UInt64.self)
        buffer.storeBytes(of: token.bigEndian, toByteOffset: 8, as: UInt32.self)
    }

    /// The TCP sequence number of a probe.
    static func tcpSequence(slot: UInt16, token: UInt32) -> UInt32 {
        UInt32(slot) << tcpSlotShift | token & (1 << tcpSlotShift - 1)
    }

    /// Writes a TCP SYN into `buffer` (``tcpLength`` bytes). The checksum covers the pseudo-header
    /// for IPv4 (`source`, `destination`); for IPv6 the kernel computes it (`IPV6_CHECKSUM`).
    static func encodeTCPSyn(
        into buffer: UnsafeMutableRawBufferPointer, sourcePort: UInt16, destinationPort: UInt16, sequence: UInt32,
        ipv4Source source: UInt32?, ipv4Destination destination: UInt32?
    ) {
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        buffer.storeBytes(of: sourcePort.bigEndian, toByteOffset: 0, as: UInt16.self)
        buffer.storeBytes(of: destinationPort.bigEndian, toByteOffset: 2, as: UInt16.self)
        buffer.storeBytes(of: sequence.bigEndian, toByteOffset: 4, as: UInt32.self)
        buffer[12] = 5 << 4  // data offset: 5 words
        buffer[13] = 0x02  // SYN
        buffer.storeBytes(of: UInt16(64240).bigEndian, toByteOffset: 14, as: UInt16.self)
        guard let source, let destination else { return }
        var pseudo = [UInt8](repeating: 0, count: 12 + tcpLength)
        withUnsafeBytes(of: source) { pseudo.replaceSubrange(0..<4, with: $0) }
        withUnsafeBytes(of: destination) { pseudo.replaceSubrange(4..<8, with: $0) }
        pseudo[9] = 6
        pseudo[11] = UInt8(tcpLength)
        pseudo.replaceSubrange(12..., with: UnsafeRawBufferPointer(rebasing: buffer[0..<tcpLength]))
        let sum = pseudo.withUnsafeBytes { ICMPPacket.checksum($0) }
        buffer.storeBytes(of: sum.bigEndian, toByteOffset: 16, as: UInt16.self)
    }

    // MARK: Decoding ICMP

    /// Decodes a datagram from an ICMP socket: an echo reply to, or an error about, one of our probes.
    /// - Parameter hasIPHeader: raw IPv4 sockets deliver the IP header first.
    static func decodeICMP(_ bytes: UnsafeRawBufferPointer, isIPv6: Bool, hasIPHeader: Bool, identity: Identity)
        -> Answer?
    {
        var start = 0
        if hasIPHeader {
            guard let length = ipv4HeaderLength(bytes, at: 0) else { return nil }
            start = length
        }
        guard bytes.count >= start + 8 else { return nil }
        let type = bytes[start]
        let code = bytes[start + 1]
        if type == (isIPv6 ? 129 : 0) {
            let key = ICMPPacket.probeKey(bytes, at: start)
            guard key.identifier == identity.identifier, key.cookie == identity.cookie, key.token != nil else {
                return nil
            }
            return Answer(match: Match(probeProtocol: .icmp, slot: key.sequence, token: key.token), reply: .echoReply)
        }
        let reply: TraceReplyKind
        switch (isIPv6, type) {
        case (false, 11), (true, 3): reply = .timeExceeded
        case (false, 3), (true, 1): reply = .unreachable(code: code)
        default: return nil
        }
        guard let match = quotedProbe(bytes, at: start + 8, isIPv6: isIPv6, identity: identity) else { return nil }
        let labels = mplsLabels(bytes, icmpStart: start, isIPv6: isIPv6)
        return Answer(match: match, reply: reply, mplsLabels: labels)
    }

    /// The probe an ICMP error quotes at `offset` (its original IP header), when it is ours.
    static func quotedProbe(_ bytes: UnsafeRawBufferPointer, at offset: Int, isIPv6: Bool, identity: Identity)
        -> Match?
    {
        let payload: Int
        let protocolNumber: UInt8
        let destination: ICMPAddress?
        if isIPv6 {
            guard bytes.count >= offset + 48, bytes[offset] >> 4 == 6 else { return nil }
            protocolNumber = bytes[offset + 6]
            destination = ICMPAddress(bytes: bytes, offset: offset + 24, isIPv6: true)
            payload = offset + 40
        } else {
            guard let length = ipv4HeaderLength(bytes, at: offset), bytes.count >= offset + length + 8 else {
                return nil
            }
            protocolNumber = bytes[offset + 9]
            destination = ICMPAddress(bytes: bytes, offset: offset + 16, isIPv6: false)
            payload = offset + length
        }
        func port(_ at: Int) -> UInt16 { UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt16.self)) }
        switch protocolNumber {
        case 1 where !isIPv6, 58 where isIPv6:
            guard bytes[payload] == (isIPv6 ? 128 : 8) else { return nil }
            let key = ICMPPacket.probeKey(bytes, at: payload)
            guard key.identifier == identity.identifier, key.cookie.map({ $0 == identity.cookie }) ?? true else {
                return nil
            }
            return Match(probeProtocol: .icmp, slot: key.sequence, token: key.token, destination: destination)
        case 17:
            let destinationPort = port(payload + 2)
            guard port(payload) == identity.udpPort, destinationPort >= udpBasePort else { return nil }
            var token: UInt32?
            if bytes.count >= payload + 8 + 12 {
                let cookie = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: payload + 8, as: UInt64.self))
                guard cookie == identity.cookie else { return nil }
                token = UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: payload + 16, as: UInt32.self))
            }
            return Match(
                probeProtocol: .udp, slot: destinationPort - udpBasePort, token: token, destination: destination)
        case 6:
            guard port(payload) == identity.tcpPort else { return nil }
            let sequence = UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: payload + 4, as: UInt32.self))
            return Match(
                probeProtocol: .tcp, slot: UInt16(truncatingIfNeeded: sequence >> tcpSlotShift),
                token: sequence & (1 << tcpSlotShift - 1), tokenMask: 1 << tcpSlotShift - 1, destination: destination)
        default:
            return nil
        }
    }

    /// MPLS label stack entries in the ICMP extension structure (RFC 4884, RFC 4950) of the
    /// time exceeded or unreachable message at `icmpStart`; empty when there is none.
    static func mplsLabels(_ bytes: UnsafeRawBufferPointer, icmpStart: Int, isIPv6: Bool) -> [MPLSLabel] {
        // RFC 4884 length of the quoted datagram: 32-bit words at byte 5 (IPv4), 64-bit words at byte 4 (IPv6).
        let quotedLength = isIPv6 ? Int(bytes[icmpStart + 4]) * 8 : Int(bytes[icmpStart + 5]) * 4
        // Routers that predate RFC 4884 put the extension after 128 bytes of quoted datagram.
        var offset = icmpStart + 8 + (quotedLength > 0 ? quotedLength : 128)
        guard bytes.count >= offset + 8, bytes[offset] >> 4 == 2 else { return [] }
        offset += 4
        var labels: [MPLSLabel] = []
        while offset + 4 <= bytes.count {
            let length = Int(UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
            guard length >= 4, offset + length <= bytes.count else { break }
            if bytes[offset + 2] == 1, bytes[offset + 3] == 1 {
                var entry = offset + 4
                while entry + 4 <= offset + length, labels.count < 16 {
                    let word = UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: entry, as: UInt32.self))
                    labels.append(
                        MPLSLabel(
                            label: word >> 12, trafficClass: UInt8(word >> 9 & 7), bottomOfStack: word >> 8 & 1 == 1,
                            ttl: UInt8(word & 0xFF)))
                    entry += 4
                }
            }
            offset += length
        }
        return labels
    }

    // MARK: Decoding TCP

    /// Decodes a segment from a raw TCP socket: a SYN-ACK or RST answering one of our SYNs.
    static func decodeTCP(_ bytes: UnsafeRawBufferPointer, hasIPHeader: Bool, identity: Identity) -> Answer? {
        var start = 0
        if hasIPHeader {
            guard let length = ipv4HeaderLength(bytes, at: 0), bytes[9] == 6 else { return nil }
            start = length
        }
        guard bytes.count >= start + 20 else { return nil }
        let destinationPort = UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: start + 2, as: UInt16.self))
        guard destinationPort == identity.tcpPort else { return nil }
        let flags = bytes[start + 13]
        let isReset = flags & 0x04 != 0
        let isSynAck = flags & 0x12 == 0x12
        guard isReset || isSynAck, flags & 0x10 != 0 else { return nil }
        let acknowledged =
            UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: start + 8, as: UInt32.self)) &- 1
        return Answer(
            match: Match(
                probeProtocol: .tcp, slot: UInt16(truncatingIfNeeded: acknowledged >> tcpSlotShift),
                token: acknowledged & (1 << tcpSlotShift - 1), tokenMask: 1 << tcpSlotShift - 1),
            reply: isReset ? .tcpReset : .tcpSynAck)
    }

    /// The length of the IPv4 header at `offset`, when it is a well-formed IPv4 header.
    static func ipv4HeaderLength(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int? {
        guard bytes.count >= offset + 20, bytes[offset] >> 4 == 4 else { return nil }
        let length = Int(bytes[offset] & 0x0F) * 4
        guard length >= 20, bytes.count >= offset + length else { return nil }
        return length
    }
}
