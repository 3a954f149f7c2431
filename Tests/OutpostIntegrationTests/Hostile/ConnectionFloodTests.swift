import Foundation
import NIOCore
import NIOPosix
import OutpostAgent
import OutpostCore
import OutpostPKI
import OutpostTestSupport
import OutpostWire
import Synchronization
import Testing

@testable import OutpostCollector
@testable import OutpostCollectorTestSupport

/// Floods of idle TCP connections against both TLS listeners, from another loopback address
/// than the real agent's: the flood is capped before TLS, and the real agent is served.
@Suite("Connection floods", .tags(.postgres, .timing), .needsPostgres, .needsQuietMachine)
struct ConnectionFloodTests {
    static let flood = 1_000

    /// Idle TCP connections from `source` to `port`, held until `release` is called; `closed`
    /// counts those the server closed.
    final class IdleFlood: Sendable {
        private let channels: [any Channel]
        private let closedCount = Atomic<Int>(0)

        init(count: Int, from source: String, to port: Int) async throws {
            let local = try SocketAddress(ipAddress: source, port: 0)
            var channels: [any Channel] = []
            // In waves, so that the listen backlog is never what refuses them.
            for start in stride(from: 0, to: count, by: 100) {
                let wave = try await withThrowingTaskGroup(of: (any Channel)?.self) { group in
                    for _ in start..<min(count, start + 100) {
                        group.addTask {
                            try? await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                                .bind(to: local).connectTimeout(.seconds(10))
                                .connect(host: "127.0.0.1", port: port).get()
                        }
                    }
                    return try await group.reduce(into: [any Channel]()) { if let channel = $1 { $0.append(channel) } }
                }
                channels += wave
            }
            self.channels = channels
            for channel in channels {
                channel.closeFuture.whenComplete { _ in self.closedCount.add(1, ordering: .relaxed) }
            }
        }

        var opened: Int { channels.count }
        var closed: Int { closedCount.load(ordering: .relaxed) }

        /// Waits (bounded) until at least `count` connections were closed by the server.
        func awaitClosed(atLeast count: Int, within limit: Duration) async throws {
            let deadline = ContinuousClock.now + limit
            while closed < count && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        }

        func release() async {
            for channel in channels { try? await channel.close() }
        }
    }

    @Test(
        "1,000 idle connections against the enrolment port: capped per source before TLS, cut at the deadline; an agent still enrols within 10 s"
    )
    func enrolmentFlood() async throws {
        var configuration = EnrolmentServerConfiguration(host: "127.0.0.1", port: 0)
        configuration.connectionTimeout = .seconds(3)
        try await EnrolmentFixture.with(configuration: configuration) { fixture in
            let flood = try await IdleFlood(count: Self.flood, from: "127.0.0.2", to: fixture.server.port)
            #expect(flood.opened == Self.flood)
            // All but the per-source cap are closed at accept.
            try await flood.awaitClosed(
                atLeast: Self.flood - configuration.maximumConnectionsPerSource, within: .seconds(10))
            #expect(flood.closed >= Self.flood - configuration.maximumConnectionsPerSource)
            #expect(fixture.server.admission.connections <= configuration.maximumConnectionsPerSource)

            let (token, _) = try await fixture.makeToken()
            let started = ContinuousClock.now
            let result = try await AgentEnrolment(token: token, stateDirectory: fixture.stateDirectory()).run()
            #expect(started.duration(to: .now) < .seconds(10))
            #expect(try await fixture.agentCount() == 1)
            #expect(result.branch == EnrolmentFixture.branch)

            // The idle ones admitted are cut at the connection deadline.
            try await flood.awaitClosed(atLeast: Self.flood, within: .seconds(10))
            #expect(flood.closed == Self.flood)
            await flood.release()
        }
    }

    @Test(
        "1,000 idle connections against the agent port: capped per source before TLS; a real agent connects and gets a batch acknowledged within 10 s"
    )
    func agentPortFlood() async throws {
        try await TransportFixture.withAgent("alice", devices: 1) { db, database, fixture, alice, devices in
            try await fixture.withCollector(database: database.url) { address in
                let flood = try await IdleFlood(count: Self.flood, from: "127.0.0.2", to: address.port)
                #expect(flood.opened == Self.flood)
                let perSource = AgentListener.defaultLimits.perSource
                try await flood.awaitClosed(atLeast: Self.flood - perSource, within: .seconds(10))
                #expect(flood.closed >= Self.flood - perSource)

                let started = ContinuousClock.now
                try await HostileAgentTests.innocentIsServed(alice, device: devices[0], sequence: 1, at: address)
                #expect(started.duration(to: .now) < .seconds(10))
                await flood.release()
            }
            #expect(try await db.integer("SELECT count(*) FROM ping_results") == 1)
        }
    }
}
