import Foundation
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostCollectorTestSupport

@Suite("Console: the agents page", .tags(.postgres), .needsPostgres)
struct AgentsPageTests {
    /// Agent telavi-1 (Kakheti) seen 30 s ago, certificate for 200 days, a backlog and drops;
    /// an agent named like a script in kutaisi (Imereti), seen 2 hours ago, certificate for 5 days.
    static func seed(_ db: PostgresConnection) async throws {
        for statement in [
            "INSERT INTO branches (name, display_name, region) VALUES ('telavi', 'Telavi', 'Kakheti'), ('kutaisi', 'Kutaisi', 'Imereti')",
            """
            INSERT INTO agents (id, branch_id, name, public_key, cert_serial, cert_not_after, last_seen, last_address,
                                version, config_version_acked, spool_backlog_batches, dropped_results_total)
            SELECT '11111111-1111-4111-8111-111111111111', id, 'telavi-1', '\\x04', 'aa01',
                   now() + interval '200 days 1 hour', now() - interval '30 seconds', '10.1.0.9', '1.4.2', 'cfg-77', 3, 12
            FROM branches WHERE name = 'telavi'
            """,
            """
            INSERT INTO agents (id, branch_id, name, public_key, cert_serial, cert_not_after, last_seen, version)
            SELECT '22222222-2222-4222-8222-222222222222', id, '<script>alert(2)</script>', '\\x04', 'bb02',
                   now() + interval '5 days 1 hour', now() - interval '2 hours', '1.3.0'
            FROM branches WHERE name = 'kutaisi'
            """,
        ] {
            try await db.execute(statement)
        }
    }

    @Test("every agent with connection, last seen, version, certificate, config and spool; escaped")
    func everyAgent() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            try await Self.seed(db)
            let viewer = try await AlertsPageTests.session(http, "vera", .viewer, on: db)
            let reply = try await viewer.get("/agents")
            #expect(reply.status == 200)
            let html = reply.text
            #expect(html.contains("data-live=\"all\""))
            #expect(html.contains("1 of 2 active agents online"))
            let rows = html.components(separatedBy: "<tr data-agent=").dropFirst()
            let telavi = try #require(rows.first { $0.contains("telavi-1") })
            #expect(telavi.contains("▲ online"))
            #expect(telavi.range(of: #"\b[3-5]\d s ago"#, options: .regularExpression) != nil)
            #expect(telavi.contains("10.1.0.9"))
            #expect(telavi.contains("1.4.2"))
            #expect(telavi.contains("200 days left"))
            #expect(telavi.contains("cert-ok"))
            #expect(telavi.contains("cfg-77"))
            #expect(telavi.contains("3 batches"))
            #expect(telavi.contains(">12<"))
            let kutaisi = try #require(rows.first { $0.contains("22222222-2222-4222-8222-222222222222") })
            #expect(kutaisi.contains("&lt;script&gt;alert(2)&lt;/script&gt;"))
            #expect(!html.contains("<script>alert(2)"))
            #expect(kutaisi.contains("▼ offline"))
            #expect(kutaisi.contains("2 h ago"))
            #expect(kutaisi.contains("⚠ expiring"))
            #expect(kutaisi.contains("5 days left"))
        }
    }

    @Test(
        "the health of the heartbeats shows memory, spool, drops, overruns and the ICMP load; trouble is marked with its reasons"
    )
    func health() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            try await Self.seed(db)
            // telavi-1 reported 10 s ago: its pings cannot fit, its spool dropped batches.
            try await db.execute(
                """
                INSERT INTO agent_health (agent_id, received_at, agent_version, resident_bytes, anonymous_bytes, spool_bytes,
                                          spool_pending_batches, spool_dropped_batches, spool_dropped_results,
                                          rounds_overrun, icmp_demand_pps, icmp_ceiling_pps)
                VALUES ('11111111-1111-4111-8111-111111111111', now() - interval '10 seconds', '1.4.2', 43620761,
                        20971520, 3145728, 3, 2, 2000, 5, 5000, 2000)
                """)
            let viewer = try await AlertsPageTests.session(http, "vera", .viewer, on: db)
            let html = try await viewer.get("/agents").text
            #expect(html.contains("⚠ 2 in trouble"))
            let rows = html.components(separatedBy: "<tr data-agent=").dropFirst()
            let telavi = try #require(rows.first { $0.contains("telavi-1") })
            #expect(telavi.contains("⚠ trouble"))
            #expect(telavi.contains("pings cannot fit the send-rate ceiling · 2 batches dropped · 5 rounds overrun"))
            #expect(telavi.range(of: #"reported \d+ s ago"#, options: .regularExpression) != nil)
            #expect(telavi.contains("41.6 MiB"))
            #expect(telavi.contains("anon 20.0 MiB"))
            #expect(telavi.contains("3.0 MiB on disk"))
            #expect(telavi.contains("2 batches"))
            #expect(telavi.contains("ICMP 5000 of 2000 packets/s · cannot fit"))
            // kutaisi's agent is active and never reported: that is trouble too.
            let kutaisi = try #require(rows.first { $0.contains("22222222-2222-4222-8222-222222222222") })
            #expect(kutaisi.contains("⚠ trouble") && kutaisi.contains("no health report"))

            // A healthy, fresh summary clears the marker; a stale one (over 2 minutes) sets it again.
            try await db.execute(
                "UPDATE agent_health SET spool_dropped_batches = 0, rounds_overrun = 0, icmp_demand_pps = 1500")
            let healthy = try #require(
                try await viewer.get("/agents").text.components(separatedBy: "<tr data-agent=").first {
                    $0.contains("telavi-1")
                })
            #expect(healthy.contains("✓ ok") && !healthy.contains("⚠ trouble"))
            try await db.execute("UPDATE agent_health SET received_at = now() - interval '3 minutes'")
            let stale = try #require(
                try await viewer.get("/agents").text.components(separatedBy: "<tr data-agent=").first {
                    $0.contains("telavi-1")
                })
            #expect(stale.contains("no health report for 3 min"))
        }
    }

    @Test("times are shown in the operator's zone: Tbilisi by default, UTC when chosen")
    func zones() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            try await Self.seed(db)
            try await db.execute("UPDATE agents SET last_seen = '2026-12-06 10:00:00+00'")
            let viewer = try await AlertsPageTests.session(http, "vera", .viewer, on: db)
            #expect(try await viewer.get("/agents").text.contains("2026-12-06 14:00:00"))
            let utc = try await viewer.get(
                "/agents", headers: ["Cookie": "outpost_session=\(viewer.sessionCookie ?? ""); outpost_tz=UTC"])
            #expect(utc.text.contains("2026-12-06 10:00:00"))
        }
    }

    @Test("a regional manager sees their region's agents only; revoked agents say so")
    func regionalManager() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            try await Self.seed(db)
            try await db.execute("UPDATE agents SET status = 'revoked' WHERE name = 'telavi-1'")
            let manager = try await AlertsPageTests.session(
                http, "kakheti", .regionalManager, regions: ["Kakheti"], on: db)
            let html = try await manager.get("/agents").text
            #expect(html.contains("telavi-1"))
            #expect(html.contains("– revoked"))
            #expect(!html.contains("22222222-2222-4222-8222-222222222222"))
            #expect(!html.contains("alert(2)"))
        }
    }
}
