import Foundation
import OutpostCore
import OutpostTestSupport
import Testing

@testable import OutpostProbes

#if canImport(Glibc)
    import Glibc
#endif

/// `sendmmsg`/`recvmmsg` batches on raw sockets: a burst of replies queued before one readiness
/// event is read in full, in batches, each reply with its own source and sequence number.
@Suite("ICMP send and receive batches", .tags(.root), .needsRoot)
struct ICMPBatchTests {
    @Test func burstOfIPv4RepliesIsReadWholeInBatches() throws {
        let addresses = try (0..<300).map { try #require(ICMPAddress(parsing: "127.6.\($0 / 200).\($0 % 200 + 1)")) }
        try checkBurst(to: addresses, isIPv6: false)
    }

    @Test func burstOfIPv6RepliesIsReadWholeInBatches() throws {
        let loopback = try #require(ICMPAddress(parsing: "::1"))
        try checkBurst(to: Array(repeating: loopback, count: 150), isIPv6: true)
    }

    /// Sends one request per address (sequence number = index) in batches of 64, then reads
    /// until every reply came: none lost, none read twice, each from the address it was sent to.
    private func checkBurst(to addresses: [ICMPAddress], isIPv6: Bool) throws {
        let identifier = UInt16.random(in: .min ... .max)
        let cookie = UInt64.random(in: .min ... .max)
        let socket = try ICMPSocket.open(
            kind: .raw, isIPv6: isIPv6, identifier: identifier, receiveBufferBytes: 1 << 20)
        defer { close(socket.fd) }
        let requests = ICMPMessageBatch(capacity: 64, slotBytes: ICMPPacket.requestLength)
        var next = 0
        while next < addresses.count {
            requests.removeAll()
            while !requests.isFull, next < addresses.count {
                ICMPPacket.encodeEchoRequest(
                    into: requests.append(to: addresses[next]), isIPv6: isIPv6, identifier: identifier,
                    sequence: UInt16(next), cookie: cookie, token: 1)
                next += 1
            }
            #expect(socket.send(requests) == requests.count)
            #expect((0..<requests.count).allSatisfy { !requests.isRefused($0) })
        }

        let replies = ICMPMessageBatch(capacity: 64, slotBytes: 256)
        var sources: [UInt16: ICMPAddress] = [:]
        var reads = 0
        var ready = pollfd(fd: socket.fd, events: Int16(POLLIN), revents: 0)
        // Loopback usually answers within the send; under load the last replies may trail.
        while sources.count < addresses.count, poll(&ready, 1, 10_000) == 1 {
            while case let count = socket.receive(into: replies), count > 0 {
                reads += 1
                for index in 0..<count {
                    let message = ICMPPacket.decode(replies.received(index), isIPv6: isIPv6, hasIPHeader: !isIPv6)
                    // Raw sockets also see the replies of other processes' pings.
                    guard case .echoReply(let key) = message, key.identifier == identifier, key.cookie == cookie
                    else { continue }
                    #expect(sources[key.sequence] == nil, "reply \(key.sequence) read twice")
                    sources[key.sequence] = replies.source(index)
                }
            }
        }
        #expect(sources.count == addresses.count, "every reply of the burst is read")
        #expect(
            sources.allSatisfy { Int($0.key) < addresses.count && addresses[Int($0.key)] == $0.value },
            "each reply keeps its own source")
        #expect(reads >= (addresses.count + 63) / 64, "a batch holds at most 64 replies")
    }
}
