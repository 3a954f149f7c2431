import Foundation
import OutpostCore
import OutpostTestSupport
import Testing

@testable import OutpostProbes

/// Unprivileged datagram ICMP sockets, in a namespace whose `ping_group_range` admits root,
/// so the host's setting is untouched. A second namespace behind it answers a prefix with
/// "host unreachable", which datagram sockets deliver on the error queue; an address without a
/// route shows how refused sends are counted.
@Suite("ICMP engine on datagram sockets", .tags(.root, .netns), .needsNetworkNamespaces)
struct DatagramSocketTests {
    /// Runs `body` with the engine's namespace and a prefix that the router behind it answers
    /// with "host unreachable".
    private func withUnreachablePrefix(_ body: (NetworkNamespace, _ prefix: String) async throws -> Void) async throws {
        let engineSide = try NetworkNamespace()
        let routerSide: NetworkNamespace
        do {
            routerSide = try NetworkNamespace(parent: engineSide)
        } catch {
            engineSide.close()
            throw error
        }
        do {
            let prefix = TestNetwork.uniquePrefix()
            try engineSide.sysctl("net.ipv4.ping_group_range=0 2147483647")
            try routerSide.routeIntoNamespace("\(prefix).0/24")
            try routerSide.inside(["route", "add", "unreachable", "\(prefix).0/24"])
            try await body(engineSide, prefix)
        } catch {
            routerSide.close()
            engineSide.close()
            throw error
        }
        routerSide.close()
        engineSide.close()
    }

    @Test func datagramSocketsPingAndReportUnreachable() async throws {
        try await withUnreachablePrefix { engineSide, prefix in
            try await check(engineSide: engineSide, prefix: prefix)
        }
    }

    @Test("an unreachable answer for one target does not fail the next send to another")
    func pendingErrorDoesNotFailTheNextSend() async throws {
        try await withUnreachablePrefix { engineSide, prefix in
            let socket = try await engineSide.run {
                try ICMPSocket.open(kind: .datagram, isIPv6: false, identifier: 0, receiveBufferBytes: 1 << 16)
            }
            defer { close(socket.fd) }
            let batch = ICMPMessageBatch(capacity: 3, slotBytes: ICMPPacket.requestLength)
            func fill(_ destinations: [ICMPAddress]) {
                batch.removeAll()
                for (index, destination) in destinations.enumerated() {
                    ICMPPacket.encodeEchoRequest(
                        into: batch.append(to: destination), isIPv6: false, identifier: socket.identifier,
                        sequence: UInt16(index), cookie: 7, token: 1)
                }
            }
            let unreachable = try #require(ICMPAddress(parsing: "\(prefix).5"))
            fill([unreachable])
            #expect(socket.send(batch) == 1 && !batch.isRefused(0))
            // The router's answer is now the socket's pending error (POLLERR), unread.
            var pending = pollfd(fd: socket.fd, events: 0, revents: 0)
            #expect(poll(&pending, 1, 10_000) == 1 && pending.revents & Int16(POLLERR) != 0)
            let loopback = try #require(ICMPAddress(parsing: "127.0.0.1"))
            // A send refused for its own sake still fails: the namespace has no default route.
            // The kernel stops a batch at it; the requests after it still go.
            let unroutable = try #require(ICMPAddress(parsing: "203.0.113.9"))
            fill([loopback, unroutable, loopback])
            #expect(socket.send(batch) == 3)
            #expect(!batch.isRefused(0), "the pending error failed a healthy target's probe")
            #expect(batch.isRefused(1))
            #expect(!batch.isRefused(2), "a refused request failed the one after it")
        }
    }

    @Test("automatic sockets are datagram ones where ping_group_range admits the process, raw ones elsewhere")
    func automaticPrefersDatagramSockets() async throws {
        let admitting = try NetworkNamespace()
        defer { admitting.close() }
        let refusing = try NetworkNamespace()
        defer { refusing.close() }
        try admitting.sysctl("net.ipv4.ping_group_range=0 2147483647")
        // A new namespace starts with "1 0", which admits no group.
        try refusing.sysctl("net.ipv4.ping_group_range=1 0")
        let configuration = try PingConfiguration(
            packetsPerRound: 2, packetInterval: .milliseconds(10), timeout: .seconds(30), roundInterval: .seconds(60))
        for (namespace, expected) in [(admitting, ICMPSocketKind.datagram), (refusing, .raw)] {
            let engine = try await namespace.run { try ICMPTest.engine(mode: .automatic) }
            let result = await engine.round(target: try ICMPTest.target("127.0.0.1"), configuration: configuration)
            await engine.shutdown()
            #expect(engine.socketKind == expected)
            #expect(result.packetsReceived == 2, "\(expected) sockets ping the namespace's loopback")
        }
    }

    private func check(engineSide: NetworkNamespace, prefix: String) async throws {
        let engine = try await engineSide.run { try ICMPTest.engine(mode: .datagram) }
        #expect(engine.socketKind == .datagram)
        let configuration = try PingConfiguration(
            packetsPerRound: 3, packetInterval: .milliseconds(10), timeout: .seconds(30), roundInterval: .seconds(60))
        async let ipv4 = engine.round(target: try ICMPTest.target("127.0.0.1"), configuration: configuration)
        async let ipv6 = engine.round(target: try ICMPTest.target("::1"), configuration: configuration)
        async let unreachable = engine.round(target: try ICMPTest.target("\(prefix).5"), configuration: configuration)
        // The engine's namespace has no default route: the kernel refuses these sends at once.
        async let unroutable = engine.round(target: try ICMPTest.target("203.0.113.9"), configuration: configuration)
        let results = try await [ipv4, ipv6, unreachable, unroutable]
        let counters = engine.counters
        await engine.shutdown()
        #expect(results[0].packetsReceived == 3, "IPv4 loopback of the namespace answers")
        #expect(results[1].packetsReceived == 3, "IPv6 loopback of the namespace answers")
        #expect(results[2].packetsSent == 3 && results[2].packetsReceived == 0)
        #expect(counters.unreachable == 3, "errors arrive on the error queue and end the probes")
        #expect(results[3].packetsSent == 3 && results[3].packetsReceived == 0 && results[3].lossPercent == 100)
        #expect(
            counters.sendFailures == 3 && counters.sent == 9, "refused sends count as sent and lost, not as on the wire"
        )
    }
}
