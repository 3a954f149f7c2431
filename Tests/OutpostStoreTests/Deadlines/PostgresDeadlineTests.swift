import Logging
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

/// postgres-nio 1.33 can lose a query for ever when its connection closes at the wrong moment,
/// and waits without limit on a server that stopped answering: every call outside ingest goes
/// through `withConnection(timeout:)` and every listener through `PostgresChannelListener`.
@Suite(
    "PostgreSQL calls with deadlines against a private server that is killed and frozen", .tags(.postgres, .timing),
    .needsQuietMachine, .needsPostgres, .needsPostgresBinaries)
struct PostgresDeadlineTests {
    static let logger = Logger(label: "outpost.test.deadline")

    @Test(
        "on a frozen server a call fails within its deadline, waiting for a connection included; after the thaw calls succeed again"
    )
    func frozenServerCall() async throws {
        let cluster = try TestPostgresCluster()
        try await Self.withClient(of: cluster) { client in
            #expect(try await Self.one(client, timeout: .seconds(10)) == 1)
            try cluster.freeze()
            // The first call gets the pooled connection the server holds; the others wait for new ones.
            for _ in 0..<3 {
                let started = ContinuousClock.now
                await #expect(throws: DatabaseTimedOut.self) { try await Self.one(client, timeout: .seconds(1)) }
                let elapsed = started.duration(to: .now)
                #expect(elapsed < .seconds(3), "a call under a 1 s deadline took \(elapsed)")
            }
            try cluster.thaw()
            #expect(try await Self.one(client, timeout: .seconds(20)) == 1)
        }
    }

    @Test("a call whose connection the server closes mid-query fails, and the next call gets a working connection")
    func killedMidQuery() async throws {
        let cluster = try TestPostgresCluster()
        try await Self.withClient(of: cluster) { client in
            let sleeping = Task {
                try await client.withConnection(timeout: .seconds(20)) { connection in
                    for try await _ in try await connection.query("SELECT pg_sleep(60)", logger: Self.logger) {}
                }
            }
            let admin = try await PostgresConnection.connect(
                configuration: cluster.url.connectionConfiguration(), id: 1, logger: Self.logger)
            var waiting = 0
            while waiting == 0 {
                try await Task.sleep(for: .milliseconds(20))
                let rows = try await admin.query(
                    "SELECT count(*)::int FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(60)'",
                    logger: Self.logger)
                for try await count in rows.decode(Int.self) { waiting = count }
            }
            try await admin.close()
            let killed = ContinuousClock.now
            try cluster.kill()
            await #expect(throws: (any Error).self) { try await sleeping.value }
            #expect(killed.duration(to: .now) < .seconds(15))
            try cluster.start()
            #expect(try await Self.one(client, timeout: .seconds(20)) == 1)
        }
    }

    @Test(
        "a listener listens again after the server is killed and restarted, and after it was frozen, and says so each time"
    )
    func listenerRecovers() async throws {
        let cluster = try TestPostgresCluster()
        let events = RecordedEvents()
        let timing = PostgresChannelListener.Timing(
            timeout: .seconds(1), checkInterval: .seconds(1), reconnectDelay: .milliseconds(100))
        try await Self.withClient(of: cluster) { client in
            let listener = PostgresChannelListener(
                client: client, channel: "outpost_test_channel", timing: timing, logger: Self.logger)
            let listening = Task {
                await listener.run(
                    listening: { events.record("listening") }, received: { events.record("notice \($0)") })
            }
            defer { listening.cancel() }
            #expect(try await events.wait(for: "listening"))
            try await Self.notify("first", cluster)
            #expect(try await events.wait(for: "notice first"))

            try cluster.kill()
            try cluster.start()
            #expect(try await events.wait(for: "listening", times: 2), "no LISTEN after the restart")
            try await Self.notify("second", cluster)
            #expect(try await events.wait(for: "notice second"))

            // Frozen longer than a check interval plus its timeout: the listener must give up on
            // its connection. Without the check it would keep the connection, which works again
            // after the thaw, and never listen anew.
            try cluster.freeze()
            try await Task.sleep(for: .seconds(3))
            try cluster.thaw()
            #expect(try await events.wait(for: "listening", times: 3), "the frozen connection was not given up")
            try await Self.notify("third", cluster)
            #expect(try await events.wait(for: "notice third"))
        }
    }

    /// Runs `body` with a running client of `cluster`.
    private static func withClient(of cluster: TestPostgresCluster, _ body: (PostgresClient) async throws -> Void)
        async throws
    {
        let client = PostgresClient(configuration: cluster.url.clientConfiguration, backgroundLogger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await body(client)
        }
    }

    private static func one(_ client: PostgresClient, timeout: Duration) async throws -> Int {
        try await client.withConnection(timeout: timeout) { connection in
            var value = 0
            for try await one in try await connection.query("SELECT 1", logger: logger).decode(Int.self) { value = one }
            return value
        }
    }

    private static func notify(_ payload: String, _ cluster: TestPostgresCluster) async throws {
        let connection = try await PostgresConnection.connect(
            configuration: cluster.url.connectionConfiguration(), id: 2, logger: logger)
        try await connection.query("SELECT pg_notify('outpost_test_channel', \(payload))", logger: logger)
        try await connection.close()
    }
}
