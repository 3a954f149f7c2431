import Foundation
import Logging
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostCollector

/// The console's one LISTEN on a private server that is killed and restarted: the open streams
/// are told to resync (changes were missed), and changes reach them again.
@Suite(
    "Console: live updates survive a PostgreSQL restart", .tags(.postgres), .needsPostgres, .needsPostgresBinaries)
struct ConsoleEventFeedRecoveryTests {
    static let logger = Logger(label: "outpost.test.console-feed")

    @Test("after a server crash and restart every stream gets a resync, then changes again")
    func restart() async throws {
        let cluster = try TestPostgresCluster()
        try await TestDatabase.withMigrated(server: cluster.url) { db, database in
            let device = try await Fixture.device("router", ip: "10.1.0.1", on: db)
            let client = PostgresClient(configuration: database.url.clientConfiguration, backgroundLogger: Self.logger)
            let feed = ConsoleEventFeed(
                client: client,
                listenerTiming: .init(timeout: .seconds(2), checkInterval: .seconds(60), reconnectDelay: .seconds(1)),
                logger: Self.logger)
            let stream = try #require(
                feed.broadcaster.subscribe(
                    OperatorPrincipal(userID: 1, username: "admin", role: .admin, regions: [])))
            /// Flips the device's enabled flag on a new connection; then waits for what the stream got.
            func flip(_ enabled: Bool) async throws {
                let connection = try await database.connect()
                try await connection.query(
                    "UPDATE standalone_devices SET enabled = \(enabled) WHERE id = \(device)", logger: Self.logger)
                try await connection.close()
            }
            func received(_ condition: @escaping (ConsoleSubscriber.Batch) -> Bool) async throws -> Bool {
                var seen = ConsoleSubscriber.Batch()
                return try await eventually(within: .seconds(20)) {
                    let batch = stream.take()
                    seen.frames += batch.frames
                    seen.resync = seen.resync || batch.resync
                    return condition(seen)
                }
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                group.addTask { try await feed.run() }
                defer { group.cancelAll() }
                #expect(try await received { $0.resync }, "listening starts with a resync")
                try await flip(false)
                #expect(try await received { $0.frames.contains { $0.contains("device_enabled") } })

                try cluster.kill()
                try cluster.start()
                #expect(try await received { $0.resync }, "no resync after listening again")
                try await flip(true)
                #expect(
                    try await received { $0.frames.contains { $0.contains("device_enabled") } },
                    "no change after the restart")
            }
        }
    }
}
