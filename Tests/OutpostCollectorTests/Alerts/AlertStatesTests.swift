import Foundation
import OutpostCollector
import OutpostCore
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

/// The pair state machine beyond ok/firing: FOR (pending), flapping, edge-router dependencies.
extension AlertEngineTests {
    @Test("FOR 30s: pending rounds record nothing, the round 30 s after the first fires; a shorter outage never fires")
    func pendingThenFiring() async throws {
        try await Self.withFleet { db, database, fleet in
            try await Self.addRule(db, name: "down", expression: "ping_unreachable >= 1 FOR 30s")
            try await Self.withEngine(database.url) { pipeline, engine in
                var feed = Feed(fleet: fleet, pipeline: pipeline, engine: engine)
                func round(_ reachable: Bool, at offset: Double) async throws {
                    try await feed.round([fleet.a: reachable], at: offset)
                }
                // A 20 s outage: pending, then ok again; no row.
                for offset in [0.0, 10, 20] { try await round(false, at: offset) }
                try await round(true, at: 30)
                #expect(try await db.integer("SELECT count(*) FROM alert_history") == 0)
                // A longer one: pending from 40 s, firing at 70 s (30 s later), not before.
                for offset in [40.0, 50, 60] { try await round(false, at: offset) }
                #expect(try await db.integer("SELECT count(*) FROM alert_history") == 0)
                try await round(false, at: 70)
                let fired = try await db.strings("SELECT extract(epoch FROM triggered_at)::text FROM alert_history")
                    .compactMap(Double.init)
                #expect(fired.map { ($0 - feed.start.timeIntervalSince1970).rounded() } == [70])
                try await round(false, at: 80)
                try await round(true, at: 90)
                #expect(try await db.strings("SELECT (resolved_at IS NOT NULL)::text FROM alert_history") == ["true"])
            }
        }
    }

    @Test(
        "a link going up and down every round: flapping row and device flag, notifications stop, one flapping_started; settling ends it"
    )
    func flapping() async throws {
        try await Self.withFleet { db, database, fleet in
            let receiver = WebhookReceiver()
            try await receiver.serve { base in
                try await Self.addRule(db, name: "down", expression: "ping_unreachable >= 1", webhook: base + "/hook")
                try await Self.withEngine(database.url) { pipeline, engine in
                    var feed = Feed(fleet: fleet, pipeline: pipeline, engine: engine)
                    func round(_ reachable: Bool) async throws { try await feed.round([fleet.a: reachable]) }
                    // Checks 0…8 alternate down/up with notifications; check 9 (the 9th change) starts flapping.
                    for check in 0..<40 { try await round(check % 2 == 1) }
                    let expected = ["firing": 5, "resolved": 4, "flapping_started": 1]
                    #expect(try await eventually(within: .seconds(10)) { receiver.bodies.count >= 10 })
                    #expect(
                        try await db.strings(
                            "SELECT kind || ':' || (resolved_at IS NULL)::text FROM alert_history ORDER BY triggered_at, kind"
                        )
                            == Array(repeating: "alert:false", count: 4) + ["alert:true", "flapping:true"])
                    #expect(
                        try await db.strings("SELECT is_flapping::text FROM standalone_devices WHERE name = 'router-a'")
                            == ["true"])
                    // 30 more changes while flapping: nothing more sent.
                    #expect(
                        Dictionary(grouping: receiver.bodies, by: { $0["event"] ?? "" }).mapValues(\.count) == expected)
                    // Up for good: below 30 % after 14 stable checks; the open episode is resolved then.
                    for _ in 0..<14 { try await round(true) }
                    #expect(try await eventually(within: .seconds(10)) { receiver.bodies.count >= 12 })
                    #expect(
                        Dictionary(grouping: receiver.bodies, by: { $0["event"] ?? "" }).mapValues(\.count)
                            == ["firing": 5, "resolved": 5, "flapping_started": 1, "flapping_stopped": 1])
                    #expect(try await db.integer("SELECT count(*) FROM alert_history WHERE resolved_at IS NULL") == 0)
                    #expect(
                        try await db.strings("SELECT is_flapping::text FROM standalone_devices WHERE name = 'router-a'")
                            == ["false"])
                }
            }
        }
    }

    @Test(
        "edge router down: its branch's other device fires suppressed_by the router's alert and pages nobody until the router is back"
    )
    func dependencySuppression() async throws {
        try await Self.withFleet { db, database, fleet in
            let atm = try await Fixture.device("atm-a", ip: "10.0.0.9", branch: fleet.branchA, on: db)
            try await db.query(
                "UPDATE branches SET gateway_device_id = \(fleet.a.uuid) WHERE id = \(fleet.branchA)",
                logger: TestDatabase.logger)
            let receiver = WebhookReceiver()
            try await receiver.serve { base in
                try await Self.addRule(db, name: "down", expression: "ping_unreachable >= 1", webhook: base + "/hook")
                try await Self.withEngine(database.url) { pipeline, engine in
                    var feed = Feed(fleet: fleet, pipeline: pipeline, engine: engine)
                    func round(router: Bool, atm atmUp: Bool) async throws {
                        try await feed.round([fleet.a: router, DeviceID(atm): atmUp])
                    }
                    func sent() -> [String] {
                        receiver.bodies.map { "\($0["event"] ?? "")@\($0["device_name"] ?? "")" }.sorted()
                    }
                    // Both down in one commit: the router pages, the ATM's row points at the router's.
                    try await round(router: false, atm: false)
                    #expect(try await eventually(within: .seconds(10)) { sent() == ["firing@router-a"] })
                    #expect(
                        try await db.strings(
                            """
                            SELECT d.name FROM alert_history h JOIN alert_history p ON p.id = h.suppressed_by
                            JOIN standalone_devices d ON d.id = p.device_id
                            """) == ["router-a"])
                    // Both back: the router's resolution pages, the suppressed ATM's does not.
                    try await round(router: true, atm: true)
                    #expect(
                        try await eventually(within: .seconds(10)) {
                            sent() == ["firing@router-a", "resolved@router-a"]
                        })
                    #expect(try await db.integer("SELECT count(*) FROM alert_history WHERE resolved_at IS NULL") == 0)
                    // Down again, then the router comes back while the ATM stays down: the ATM pages then.
                    try await round(router: false, atm: false)
                    try await round(router: true, atm: false)
                    #expect(
                        try await eventually(within: .seconds(10)) {
                            sent().filter { $0.hasSuffix("atm-a") } == ["firing@atm-a"]
                        })
                    #expect(
                        try await db.integer("SELECT count(*) FROM alert_history WHERE suppressed_by IS NOT NULL") == 2)
                    try await Task.sleep(for: .milliseconds(300))  // nothing else may arrive
                    #expect(
                        sent() == [
                            "firing@atm-a", "firing@router-a", "firing@router-a", "resolved@router-a",
                            "resolved@router-a",
                        ])
                }
            }
        }
    }
}
