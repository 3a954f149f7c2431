import Testing

@testable import OutpostProbes

@Suite("ICMP packet encoding and decoding")
struct ICMPPacketTests {
    private func request(isIPv6: Bool, sequence: UInt16 = 0x1234) -> [UInt8] {
        var bytes = [UInt8](repeating: 0xAA, count: ICMPPacket.requestLength)
        bytes.withUnsafeMutableBytes {
            ICMPPacket.encodeEchoRequest(
                into: $0, isIPv6: isIPv6, identifier: 0xBEEF, sequence: sequence, cookie: 0x0102_0304_0506_0708,
                token: 42)
        }
        return bytes
    }

    @Test func ipv4RequestHasValidChecksumAndFields() {
        let bytes = request(isIPv6: false)
        #expect(bytes[0] == 8)
        #expect(bytes.withUnsafeBytes { ICMPPacket.checksum($0) } == 0, "a correct checksum sums to zero")
        #expect(bytes[4...7] == [0xBE, 0xEF, 0x12, 0x34])
        #expect(bytes[20...].allSatisfy { $0 == 0 }, "padding is zeroed")
    }

    @Test("the request's checksum, summed from its fields, matches RFC 1071 over its bytes")
    func checksumFromFieldsMatchesTheBytes() {
        var generator = SystemRandomNumberGenerator()
        let edges: [(UInt16, UInt16, UInt64, UInt32)] = [(0, 0, 0, 0), (.max, .max, .max, .max), (0xF7FF, 0, 0, 0)]
        let random = (0..<1_000).map { _ in
            (
                UInt16.random(in: .min ... .max, using: &generator),
                UInt16.random(in: .min ... .max, using: &generator),
                UInt64.random(in: .min ... .max, using: &generator), UInt32.random(in: .min ... .max, using: &generator)
            )
        }
        var bytes = [UInt8](repeating: 0, count: ICMPPacket.requestLength)
        for (identifier, sequence, cookie, token) in edges + random {
            bytes.withUnsafeMutableBytes {
                ICMPPacket.encodeEchoRequest(
                    into: $0, isIPv6: false, identifier: identifier, sequence: sequence, cookie: cookie, token: token)
            }
            let sum = bytes.withUnsafeBytes { ICMPPacket.checksum($0) }
            #expect(sum == 0, "identifier \(identifier) sequence \(sequence) cookie \(cookie) token \(token)")
            if sum != 0 { return }
        }
    }

    @Test func echoReplyDecodesToTheProbeKey() {
        var reply = request(isIPv6: false)
        reply[0] = 0
        let ipHeader: [UInt8] = [0x45, 0, 0, 84, 0, 0, 0, 0, 64, 1, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1]
        let message = (ipHeader + reply).withUnsafeBytes { ICMPPacket.decode($0, isIPv6: false, hasIPHeader: true) }
        #expect(
            message == .echoReply(.init(identifier: 0xBEEF, sequence: 0x1234, cookie: 0x0102_0304_0506_0708, token: 42))
        )
    }

    @Test func ipv6ReplyDecodesWithoutIPHeader() {
        var reply = request(isIPv6: true)
        #expect(reply[0] == 128)
        reply[0] = 129
        let message = reply.withUnsafeBytes { ICMPPacket.decode($0, isIPv6: true, hasIPHeader: false) }
        #expect(
            message == .echoReply(.init(identifier: 0xBEEF, sequence: 0x1234, cookie: 0x0102_0304_0506_0708, token: 42))
        )
    }

    @Test func hostUnreachableQuotesTheOriginalRequest() throws {
        let outer: [UInt8] = [0x45, 0, 0, 112, 0, 0, 0, 0, 64, 1, 0, 0, 10, 0, 0, 254, 10, 0, 0, 1]
        let icmpError: [UInt8] = [3, 1, 0, 0, 0, 0, 0, 0]
        let quotedHeader: [UInt8] = [0x45, 0, 0, 84, 0, 0, 0, 0, 64, 1, 0, 0, 10, 0, 0, 1, 198, 18, 9, 7]
        let datagram = outer + icmpError + quotedHeader + request(isIPv6: false)
        let message = datagram.withUnsafeBytes { ICMPPacket.decode($0, isIPv6: false, hasIPHeader: true) }
        let destination = try #require(ICMPAddress(parsing: "198.18.9.7"))
        #expect(
            message
                == .error(
                    .init(identifier: 0xBEEF, sequence: 0x1234, cookie: 0x0102_0304_0506_0708, token: 42),
                    destination: destination))
    }

    @Test func truncatedAndForeignMessagesAreIgnored() {
        let echoRequest = request(isIPv6: false)
        #expect(
            echoRequest.withUnsafeBytes { ICMPPacket.decode($0, isIPv6: false, hasIPHeader: false) } == nil,
            "requests are not replies")
        #expect(
            [UInt8](repeating: 0x45, count: 12).withUnsafeBytes {
                ICMPPacket.decode($0, isIPv6: false, hasIPHeader: true)
            } == nil)
        let shortError: [UInt8] = [3, 1, 0, 0, 0, 0, 0, 0, 0x45, 0, 0]
        #expect(shortError.withUnsafeBytes { ICMPPacket.decode($0, isIPv6: false, hasIPHeader: false) } == nil)
    }

    @Test func addressesParseAndPrintCanonically() throws {
        #expect(ICMPAddress(parsing: "127.0.0.1")?.text == "127.0.0.1")
        #expect(ICMPAddress(parsing: "2001:DB8:0::1")?.text == "2001:db8::1")
        #expect(ICMPAddress(parsing: "router.branch") == nil)
        #expect(throws: PingTargetError.self) { try PingTarget(deviceID: .init(.init()), address: "10.0.0.256") }
    }
}
