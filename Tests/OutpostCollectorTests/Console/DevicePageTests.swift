import Foundation
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostCollectorTestSupport

/// The device and branch pages over real HTTP: charts drawn from stored history at each range,
/// alerts with their controls for the roles that may use them, and regions.
@Suite("Console: device and branch pages", .tags(.postgres), .needsPostgres)
struct DevicePageTests {
    /// One device in Telavi with a round every minute for the last 24 hours (every tenth lost),
    /// rolled up as the collector's job would; one device in Kutaisi; an open alert.
    static func seed(_ db: PostgresConnection) async throws -> String {
        try await ConsolePagesTests.seed(db)
        try await db.execute(
            """
            INSERT INTO ping_results (device_id, device_ip, packets_sent, packets_received, packet_loss_percent,
                                      min_rtt_ms, avg_rtt_ms, max_rtt_ms, is_reachable, timestamp)
            SELECT d.id, d.ip, 4, CASE WHEN i % 10 = 0 THEN 0 ELSE 4 END, CASE WHEN i % 10 = 0 THEN 100 ELSE 0 END,
                   CASE WHEN i % 10 = 0 THEN NULL ELSE 1 + (i % 7) END, CASE WHEN i % 10 = 0 THEN NULL ELSE 2 + (i % 7) END,
                   CASE WHEN i % 10 = 0 THEN NULL ELSE 3 + (i % 7) END, i % 10 <> 0,
                   date_trunc('minute', now()) - make_interval(mins => i) + interval '5 seconds'
            FROM standalone_devices d, generate_series(1, 1440) i WHERE d.name = 'tel-down'
            """)
        try await db.execute(
            """
            INSERT INTO rollup_pending (kind, key_id, minute)
            SELECT DISTINCT 'ping', device_id, date_trunc('minute', timestamp) FROM ping_results
            ON CONFLICT DO NOTHING
            """)
        let writer = RollupWriter(logger: TestDatabase.logger, chunk: 10_000, settle: 0)
        while try await writer.rollUp(on: db).claimed > 0 {}
        return try await db.strings("SELECT id::text FROM standalone_devices WHERE name = 'tel-down'")[0]
    }

    /// The number `pattern` captures in `html`.
    static func figure(_ pattern: Regex<(Substring, Substring)>, in html: String) -> Double? {
        html.firstMatch(of: pattern).flatMap { Double($0.1) }
    }

    /// The `data-points` of each chart of `html`, in order.
    static func plotted(_ html: String) -> [Int] {
        html.matches(of: /data-points="(\d+)"/).compactMap { Int($0.1) }
    }

    @Test("a device's charts have a point per stored bucket at 1 h, 24 h and 30 d, and its figures")
    func charts() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            let id = try await Self.seed(db)
            let viewer = http.with(token: try await OperatorAccounts.add("eve", role: .viewer, on: db).token)
            let hour = try await viewer.get("/devices/\(id)?range=1h")
            #expect(hour.status == 200, "\(hour.text)")
            #expect(hour.text.contains("every round"))
            // 60 minutes of rounds, 6 of them lost: RTT lines have 54 values each (min, mean,
            // max), the loss chart all 60, less the minutes that left the range while a loaded
            // machine seeded and rolled up (the range ends at the request, the rounds at the seed).
            let hourPoints = Self.plotted(hour.text)
            #expect(hourPoints.count == 2)
            #expect((140...165).contains(hourPoints[0]), "\(hourPoints)")
            #expect((52...61).contains(hourPoints[1]), "\(hourPoints)")
            let day = try await viewer.get("/devices/\(id)")
            #expect(day.text.contains("1-minute buckets"))
            let dayPoints = Self.plotted(day.text)
            #expect((1420...1441).contains(dayPoints[1]), "a loss point per minute: \(dayPoints)")
            // Every tenth round lost: 10 % loss, 90 % available (a minute more or less at the
            // range's edges moves them by a hundredth).
            let loss = try #require(Self.figure(#/mean loss ([0-9.]+) %/#, in: day.text))
            let available = try #require(Self.figure(#/available ([0-9.]+) %/#, in: day.text))
            #expect(abs(loss - 10) < 0.2, "mean loss \(loss)")
            #expect(abs(available - 90) < 0.2, "available \(available)")
            let month = try await viewer.get("/devices/\(id)?range=30d")
            #expect(month.text.contains("1-hour buckets"))
            #expect((24...26).contains(Self.plotted(month.text)[1]), "a point per hour with data")
            #expect(try await viewer.get("/devices/\(id)?range=1y").status == 400)
            #expect(try await viewer.get("/devices/not-a-uuid").status == 400)
            #expect(try await viewer.get("/devices/\(UUID().uuidString)").status == 404)
        }
    }

    @Test("alert controls appear for the roles that may use them; other regions' devices are 404")
    func rolesAndRegions() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            let id = try await Self.seed(db)
            let viewer = http.with(token: try await OperatorAccounts.add("eve", role: .viewer, on: db).token)
            let technician = http.with(token: try await OperatorAccounts.add("tom", role: .technician, on: db).token)
            let viewed = try await viewer.get("/devices/\(id)").text
            #expect(viewed.contains("tel-down is down"))
            #expect(!viewed.contains("/acknowledge"))
            #expect(!viewed.contains("Disable monitoring"))
            let operated = try await technician.get("/devices/\(id)").text
            #expect(operated.contains("data-path=\"/api/v1/alerts/"))
            #expect(operated.contains("/acknowledge\""))
            let imereti = http.with(
                token: try await OperatorAccounts.add("imereti", role: .regionalManager, regions: ["Imereti"], on: db)
                    .token)
            #expect(try await imereti.get("/devices/\(id)").status == 404)
            #expect(try await imereti.get("/branches/telavi").status == 404)
            let kakheti = http.with(
                token: try await OperatorAccounts.add("kakheti", role: .regionalManager, regions: ["Kakheti"], on: db)
                    .token)
            #expect(try await kakheti.get("/devices/\(id)").text.contains("Disable monitoring"))
        }
    }

    @Test("a branch page lists its devices with 24-hour figures, its open alerts and its Georgian name")
    func branch() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            _ = try await Self.seed(db)
            let viewer = http.with(token: try await OperatorAccounts.add("eve", role: .viewer, on: db).token)
            let page = try await viewer.get("/branches/telavi")
            #expect(page.status == 200, "\(page.text)")
            #expect(page.text.contains("თელავი"))
            #expect(page.text.contains(">tel-down<"))
            #expect(
                page.text.contains(#/>(89\.[89]\d|90\.[01]\d) %</#), "tel-down's availability over 24 h: about 90 %")
            #expect(page.text.contains("tel-down is down"))
            #expect(!page.text.contains("kut-up"))
            #expect(try await viewer.get("/branches/nowhere").status == 404)
        }
    }
}
