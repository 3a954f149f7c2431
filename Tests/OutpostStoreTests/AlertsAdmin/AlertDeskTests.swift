import Foundation
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

@Suite("Alert desk: filters, keyset pages, acknowledge and resolve", .tags(.postgres), .needsPostgres)
struct AlertDeskTests {
    static let actor = AuditActor(name: "nino", userID: nil, source: "http 192.0.2.7")
    let desk = AlertDesk(logger: TestDatabase.logger)

    /// Branch `t` (Tbilisi) with device `dt`, branch `a` (Adjara) with `da`, device `dx` without
    /// branch, user `nino`, and 30 alerts in triples fired at the same microsecond: every third
    /// resolved, severities rotating over critical, high and info, devices over dt, da and dx.
    static func withAlerts(_ body: (PostgresConnection) async throws -> Void) async throws {
        try await TestDatabase.withMigrated { db, _ in
            for statement in [
                """
                INSERT INTO branches (name, display_name, region) VALUES ('t', 'T', 'Tbilisi'), ('a', 'A', 'Adjara')
                """,
                """
                INSERT INTO standalone_devices (name, ip, branch_id) VALUES
                ('dt', '10.0.0.1', (SELECT id FROM branches WHERE name = 't')),
                ('da', '10.0.0.2', (SELECT id FROM branches WHERE name = 'a')),
                ('dx', '10.0.0.3', NULL)
                """,
                """
                INSERT INTO users (username, hashed_password) VALUES ('nino', 'x')
                """,
                """
                INSERT INTO alert_rules (name, expression, severity) VALUES ('down', 'ping_unreachable >= 1', 'high')
                """,
                """
                INSERT INTO alert_history (rule_id, device_id, severity, message, triggered_at, resolved_at)
                SELECT (SELECT id FROM alert_rules), (SELECT id FROM standalone_devices WHERE name = (ARRAY['dt', 'da', 'dx'])[g % 3 + 1]),
                (ARRAY['critical', 'high', 'info'])[(g / 3) % 3 + 1], 'alert ' || g,
                timestamptz '2026-12-01 00:00:00+00' + (g / 3) * interval '1.234567 second',
                CASE WHEN g % 3 = 0 THEN timestamptz '2026-12-02 00:00:00+00' END
                FROM generate_series(0, 29) g
                """,
            ] {
                try await db.execute(statement)
            }
            try await body(db)
        }
    }

    /// Every page of `filter`, followed by its cursors.
    func pages(_ filter: AlertFilter, on db: PostgresConnection) async throws -> [[AlertView]] {
        var filter = filter
        var pages: [[AlertView]] = []
        repeat {
            let page = try await desk.list(filter, on: db)
            pages.append(page.alerts)
            filter.cursor = page.nextCursor
        } while filter.cursor != nil && pages.count < 100
        return pages
    }

    @Test("pages visit every alert exactly once, in order, ties at one microsecond included")
    func pagination() async throws {
        try await Self.withAlerts { db in
            let expected = try await db.strings(
                "SELECT id::text FROM alert_history ORDER BY triggered_at DESC, id DESC")
            for limit in [1, 4, 7, 30, 1000] {
                var filter = AlertFilter()
                filter.limit = limit
                let pages = try await pages(filter, on: db)
                #expect(pages.flatMap { $0 }.map { $0.id.uuidString.lowercased() } == expected, "limit \(limit)")
                #expect(pages.count == max(1, (30 + limit - 1) / limit), "limit \(limit)")
            }
            var open = AlertFilter()
            open.open = true
            open.limit = 3
            let openIDs = try await pages(open, on: db).flatMap { $0 }.map { $0.id.uuidString.lowercased() }
            #expect(
                openIDs
                    == (try await db.strings(
                        "SELECT id::text FROM alert_history WHERE resolved_at IS NULL ORDER BY triggered_at DESC, id DESC"
                    )))
        }
    }

    @Test("each filter selects what it names; region scope leaves out devices of other regions and without branch")
    func filters() async throws {
        try await Self.withAlerts { db in
            func count(_ change: (inout AlertFilter) -> Void) async throws -> Int {
                var filter = AlertFilter()
                filter.limit = 1000
                change(&filter)
                return try await desk.list(filter, on: db).alerts.count
            }
            let da = UUID(
                uuidString: try await db.strings("SELECT id::text FROM standalone_devices WHERE name = 'da'")[0])!
            #expect(try await count { _ in } == 30)
            #expect(try await count { $0.open = true } == 20)
            #expect(try await count { $0.open = false } == 10)
            #expect(try await count { $0.branch = "t" } == 10)
            #expect(try await count { $0.regions = ["Adjara"] } == 10)
            #expect(try await count { $0.regions = ["Adjara", "Tbilisi"] } == 20)
            #expect(try await count { $0.regions = [] } == 0)
            #expect(try await count { $0.deviceID = da } == 10)
            #expect(try await count { $0.severity = ["critical", "info"] } == 21)
            #expect(
                try await count {
                    $0.severity = ["critical"]
                    $0.regions = ["Adjara"]
                    $0.open = true
                } == 4)
            let start = Date(timeIntervalSince1970: 1_796_083_200)  // 2026-12-01 00:00:00 UTC
            #expect(
                try await count {
                    $0.since = start + 1.234567 * 2
                    $0.until = start + 1.234567 * 4
                } == 6)

            var filter = AlertFilter()
            filter.regions = ["Adjara"]
            let view = try #require(try await desk.list(filter, on: db).alerts.first)
            #expect(view.region == "Adjara" && view.branchName == "a" && view.deviceName == "da")
            #expect(view.ruleName == "down" && view.kind == "alert" && !view.inMaintenance)
            #expect(try await desk.alert(id: view.id, on: db) == view)
            #expect(try await desk.alert(id: UUID(), on: db) == nil)
        }
    }

    @Test("a refused filter names its field")
    func refusedFilters() async throws {
        try await Self.withAlerts { db in
            let forged = Data("v2:1:\(UUID().uuidString)".utf8).base64EncodedString()
            let cases: [(String, (inout AlertFilter) -> Void)] = [
                ("limit", { $0.limit = 0 }),
                ("limit", { $0.limit = 1001 }),
                ("severity", { $0.severity = ["urgent"] }),
                (
                    "until",
                    {
                        $0.since = Date(timeIntervalSince1970: 10)
                        $0.until = Date(timeIntervalSince1970: 10)
                    }
                ),
                ("cursor", { $0.cursor = "garbage!" }),
                ("cursor", { $0.cursor = forged }),
                ("cursor", { $0.cursor = "" }),
            ]
            for (field, change) in cases {
                var filter = AlertFilter()
                change(&filter)
                do {
                    _ = try await desk.list(filter, on: db)
                    Issue.record("accepted a filter with a bad \(field)")
                } catch let error as InputError {
                    #expect(error.field == field, "\(error)")
                }
            }
        }
    }

    @Test("acknowledge and resolve once each, with user and comment, audited; twice is already done")
    func actions() async throws {
        try await Self.withAlerts { db in
            let nino = Int32(try await db.integer("SELECT id FROM users WHERE username = 'nino'"))
            let id = UUID(
                uuidString: try await db.strings(
                    "SELECT id::text FROM alert_history WHERE resolved_at IS NULL LIMIT 1")[0])!
            await #expect(throws: InputError(field: "comment", reason: "must be at most 1000 characters")) {
                try await desk.acknowledge(
                    id: id, comment: String(repeating: "c", count: 1001), by: nino, actor: Self.actor, on: db)
            }
            await #expect(throws: InputError(field: "user", reason: "no user has id 9999")) {
                try await desk.acknowledge(id: id, comment: nil, by: 9999, actor: Self.actor, on: db)
            }
            #expect(
                try await desk.acknowledge(id: id, comment: "on it", by: nino, actor: Self.actor, on: db) == .done)
            #expect(
                try await desk.acknowledge(id: id, comment: "again", by: nino, actor: Self.actor, on: db)
                    == .alreadyDone)
            #expect(
                try await desk.acknowledge(id: UUID(), comment: nil, by: nil, actor: Self.actor, on: db) == .notFound)

            #expect(
                try await desk.resolve(id: id, comment: "line\nfixed", by: nino, actor: Self.actor, on: db) == .done)
            #expect(try await desk.resolve(id: id, comment: nil, by: nil, actor: Self.actor, on: db) == .alreadyDone)
            #expect(try await desk.resolve(id: UUID(), comment: nil, by: nil, actor: Self.actor, on: db) == .notFound)

            let view = try #require(try await desk.alert(id: id, on: db))
            #expect(view.acknowledged && view.acknowledgedBy == "nino" && view.acknowledgementComment == "on it")
            #expect(view.acknowledgedAt != nil)
            #expect(view.resolvedAt != nil && view.resolvedBy == "nino" && view.resolutionComment == "line\nfixed")
            #expect(
                try await db.strings(
                    """
                    SELECT action || ' ' || COALESCE(changes->'acknowledged_by'->>'after', changes->'resolved_by'->>'after')
                           || ' ' || COALESCE(changes->'acknowledgement_comment'->>'after', changes->'resolution_comment'->>'after')
                           || ' ' || COALESCE(changes->'acknowledged'->>'before', changes->'resolved'->>'before')
                    FROM audit_log WHERE entity = 'alert' AND entity_id = '\(id.uuidString.lowercased())' ORDER BY id
                    """) == ["acknowledge nino on it false", "resolve nino line\nfixed false"])
        }
    }
}
