import Foundation
import OutpostCore
import OutpostTestSupport
import PostgresNIO

@testable import OutpostStore

/// November 2026 of four devices, seeded through the ingest writer and rolled up: outages, a
/// nightly maintenance window and a one-off one, an agent away for six hours whose spool arrives
/// after the month was rolled up, and a device added mid-month.
///
/// - `a` (Tbilisi, router): down 3 Nov 10:00–12:00 (an alert raised at 10:07), nightly
///   maintenance 02:00–03:00.
/// - `b` (Tbilisi, switch): down every night 02:10–02:40, inside the nightly maintenance.
/// - `c` (Adjara, router): its agent away 10 Nov 06:00–12:00, down 08:00–09:00 within that (the
///   replay arrives last); down 20 Nov 09:30–10:30, starting in the one-off window.
/// - `d` (Adjara, switch): rounds from 15 Nov 12:00; down 20 Nov 08:40–09:20 (in the one-off
///   window) and 25 Nov 15:00–15:30.
///
/// Rounds every ten minutes, 17 s into the minute. The one-off window, on the Adjara region,
/// runs 20 Nov 08:30–09:45: not on the hour, so those hours are read minute by minute.
struct ReportMonthFixture {
    static let month = try! ReportWindow(from: time("2026-11-01T00:00:00Z"), to: time("2026-12-01T00:00:00Z"))
    static let step: TimeInterval = 600
    static let oneOff = DateInterval(start: time("2026-11-20T08:30:00Z"), end: time("2026-11-20T09:45:00Z"))
    static let agentAway = DateInterval(start: time("2026-11-10T06:00:00Z"), end: time("2026-11-10T12:00:00Z"))

    let a: UUID
    let b: UUID
    let c: UUID
    let d: UUID

    static func time(_ text: String) -> Date {
        guard let date = try? Date(text, strategy: .iso8601) else { preconditionFailure("not a time: \(text)") }
        return date
    }

    /// Down periods per device name.
    static func downs(_ name: String) -> [DateInterval] {
        func span(_ from: String, _ to: String) -> DateInterval { DateInterval(start: time(from), end: time(to)) }
        switch name {
        case "a": return [span("2026-11-03T10:00:00Z", "2026-11-03T12:00:00Z")]
        case "b":
            return (0..<30).map { day in
                let night = month.from.addingTimeInterval(Double(day) * 86_400)
                return DateInterval(start: night.addingTimeInterval(7_800), end: night.addingTimeInterval(9_600))
            }
        case "c":
            return [
                span("2026-11-10T08:00:00Z", "2026-11-10T09:00:00Z"),
                span("2026-11-20T09:30:00Z", "2026-11-20T10:30:00Z"),
            ]
        default:
            return [
                span("2026-11-20T08:40:00Z", "2026-11-20T09:20:00Z"),
                span("2026-11-25T15:00:00Z", "2026-11-25T15:30:00Z"),
            ]
        }
    }

    /// Maintenance per device name, as the test reckons it on its own.
    static func maintenance(_ name: String) -> [DateInterval] {
        switch name {
        case "a", "b":
            return (0..<30).map { day in
                let night = month.from.addingTimeInterval(Double(day) * 86_400)
                return DateInterval(start: night.addingTimeInterval(7_200), end: night.addingTimeInterval(10_800))
            }
        default: return [oneOff]
        }
    }

    static func seed(on db: PostgresConnection) async throws -> ReportMonthFixture {
        let logger = TestDatabase.logger
        let tbilisi = try await Fixture.branch("tbilisi", displayName: "Tbilisi HQ", on: db)
        let batumi = try await Fixture.branch("batumi", displayName: "Batumi", on: db)
        try await db.query("UPDATE branches SET region = 'Tbilisi' WHERE id = \(tbilisi)", logger: logger)
        try await db.query("UPDATE branches SET region = 'Adjara' WHERE id = \(batumi)", logger: logger)
        let fixture = ReportMonthFixture(
            a: try await Fixture.device("a", ip: "10.1.0.1", branch: tbilisi, deviceType: "router", on: db),
            b: try await Fixture.device("b", ip: "10.1.0.2", branch: tbilisi, deviceType: "switch", on: db),
            c: try await Fixture.device("c", ip: "10.2.0.1", branch: batumi, deviceType: "router", on: db),
            d: try await Fixture.device("d", ip: "10.2.0.2", branch: batumi, deviceType: "switch", on: db))
        try await db.query(
            """
            INSERT INTO maintenance_windows (id, name, starts_at, ends_at, schedule, duration_seconds) VALUES
                ('00000000-0000-0000-0000-00000000000a', 'nightly', '2026-10-01T00:00:00Z', NULL, '0 2 * * *', 3600),
                ('00000000-0000-0000-0000-00000000000b', 'fibre', \(oneOff.start), \(oneOff.end), NULL, NULL);
            """, logger: logger)
        try await db.query(
            """
            INSERT INTO maintenance_window_targets (window_id, branch_id, region) VALUES
                ('00000000-0000-0000-0000-00000000000a', \(tbilisi), NULL),
                ('00000000-0000-0000-0000-00000000000b', NULL, 'Adjara')
            """, logger: logger)
        try await db.query(
            """
            WITH rule AS (
                INSERT INTO alert_rules (name, expression, severity) VALUES ('down', 'ping_unreachable >= 1', 'critical')
                RETURNING id)
            INSERT INTO alert_history (rule_id, rule_name, device_id, severity, message, triggered_at, resolved_at)
            SELECT id, 'down', \(fixture.a), 'critical', 'a is down', '2026-11-03T10:07:00Z', '2026-11-03T12:01:00Z'
            FROM rule
            """, logger: logger)
        try await fixture.ingest(on: db)
        return fixture
    }

    /// Writes the month's rounds; the agent's away hours of `c` last, after a first roll-up.
    func ingest(on db: PostgresConnection) async throws {
        let agent = AgentID.random()
        let branch = try await Fixture.branch("agents", on: db)
        try await Fixture.agent(agent.uuid, serial: agent.description, branch: branch, on: db)
        let writer = IngestWriter(logger: TestDatabase.logger)
        let devices = [("a", a), ("b", b), ("c", c), ("d", d)]
        let dAdded = Self.time("2026-11-15T12:00:00Z")
        var sequence: BatchSequence = 1
        var pings: [PingRoundResult] = []
        var late: [PingRoundResult] = []
        var time = Self.month.from.addingTimeInterval(17)
        while time < Self.month.to {
            for (name, id) in devices where name != "d" || time >= dAdded {
                let down = Self.downs(name).contains { $0.start <= time && time < $0.end }
                let round = PingRoundResult(
                    deviceID: DeviceID(id), deviceIP: "10.0.0.1", timestamp: time, packetsSent: 3,
                    packetsReceived: down ? 0 : 3, minRTT: down ? nil : 1, avgRTT: down ? nil : 1.5,
                    maxRTT: down ? nil : 2, stddevRTT: down ? nil : 0.2)
                if name == "c" && Self.agentAway.start <= time && time < Self.agentAway.end {
                    late.append(round)
                } else {
                    pings.append(round)
                }
            }
            time.addTimeInterval(Self.step)
            if pings.count >= 2_000 || time >= Self.month.to {
                _ = try await writer.write(
                    [IngestBatch(agentID: agent, sequence: sequence, pings: pings, samples: [])], on: db)
                sequence += 1
                pings = []
            }
        }
        let rollups = RollupWriter(logger: TestDatabase.logger, chunk: 100_000)
        try await Self.rollUpAll(rollups, on: db)
        _ = try await writer.write([IngestBatch(agentID: agent, sequence: sequence, pings: late, samples: [])], on: db)
        try await Self.rollUpAll(rollups, on: db)
    }

    static func rollUpAll(_ writer: RollupWriter, on db: PostgresConnection) async throws {
        while try await writer.rollUp(now: month.to.addingTimeInterval(3_600), on: db).claimed > 0 {}
    }
}
