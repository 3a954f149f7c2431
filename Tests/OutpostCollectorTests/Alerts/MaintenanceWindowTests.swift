import Foundation
import OutpostCollector
import OutpostCore
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

/// Maintenance windows as the alert engine honours them.
extension AlertEngineTests {
    static let maintenanceStore = MaintenanceWindowStore(logger: TestDatabase.logger)
    static let maintenanceActor = AuditActor(name: "cli:test", source: "cli test")

    /// A one-off window over `device` from a minute ago for an hour.
    static func openWindow(over device: DeviceID, on db: PostgresConnection) async throws -> UUID {
        let now = Date()
        return try await maintenanceStore.create(
            MaintenanceWindowDraft(
                name: "swap", startsAt: now.addingTimeInterval(-60), endsAt: now.addingTimeInterval(3_600),
                deviceIDs: [device.uuid]),
            by: maintenanceActor, on: db
        ).id
    }

    @Test("maintenance: a device in a window fires and resolves in_maintenance with no webhook; one outside pages")
    func maintenanceRecordsWithoutPaging() async throws {
        try await Self.withFleet { db, database, fleet in
            let receiver = WebhookReceiver()
            try await receiver.serve { base in
                try await Self.addRule(db, name: "down", expression: "ping_unreachable >= 1", webhook: base + "/hook")
                _ = try await Self.openWindow(over: fleet.a, on: db)
                try await Self.withEngine(database.url) { pipeline, engine in
                    var feed = Feed(fleet: fleet, pipeline: pipeline, engine: engine)
                    try await feed.round([fleet.a: false, fleet.b: false])
                    #expect(try await Self.historyReaches(2, on: db))
                    try await feed.round([fleet.a: true, fleet.b: true])
                    #expect(
                        try await eventually(within: .seconds(10)) {
                            try await db.integer("SELECT count(*) FROM alert_history WHERE resolved_at IS NOT NULL")
                                == 2
                        })
                    // router-b's firing and resolution page; by then router-a's would have too.
                    #expect(try await eventually(within: .seconds(10)) { receiver.bodies.count >= 2 })
                    #expect(
                        try await eventually(within: .seconds(10)) {
                            try await db.integer(
                                "SELECT count(*) FROM alert_history WHERE jsonb_array_length(notifications_sent) = 2")
                                == 1
                        })
                    #expect(receiver.bodies.map { $0["device_name"] } == ["router-b", "router-b"])
                    #expect(receiver.bodies.map { $0["event"] } == ["firing", "resolved"])
                    #expect(
                        try await db.strings(
                            """
                            SELECT d.name || ':' || h.in_maintenance::text || ':' || COALESCE(jsonb_array_length(h.notifications_sent), 0)
                                || ':' || (h.resolved_at IS NOT NULL)::text
                            FROM alert_history h JOIN standalone_devices d ON d.id = h.device_id
                            WHERE d.name = 'router-a'
                            """) == ["router-a:true:0:true"])
                    #expect(
                        try await db.strings(
                            """
                            SELECT h.in_maintenance::text FROM alert_history h JOIN standalone_devices d ON d.id = h.device_id
                            WHERE d.name = 'router-b'
                            """) == ["false"])
                }
            }
        }
    }

    @Test("maintenance: a window created while the engine runs takes effect within seconds; ended, the alert pages")
    func maintenanceWindowTakesEffect() async throws {
        try await Self.withFleet { db, database, fleet in
            let receiver = WebhookReceiver()
            try await receiver.serve { base in
                try await Self.addRule(db, name: "down", expression: "ping_unreachable >= 1", webhook: base + "/hook")
                var configuration = AlertEngine.Configuration()
                configuration.maintenanceRefreshInterval = .seconds(600)  // only the announcement can be quick
                try await Self.withEngine(database.url, configuration: configuration) { pipeline, engine in
                    var feed = Feed(fleet: fleet, pipeline: pipeline, engine: engine)
                    try await feed.round([fleet.a: true])
                    let window = try await Self.openWindow(over: fleet.a, on: db)
                    #expect(
                        try await eventually(within: .seconds(5)) {
                            engine.maintenanceWindow(covering: fleet.a.uuid, at: Date()) == window
                        })
                    try await feed.round([fleet.a: false])
                    #expect(try await Self.historyReaches(1, on: db))
                    #expect(try await db.strings("SELECT in_maintenance::text FROM alert_history") == ["true"])

                    _ = try await Self.maintenanceStore.end(
                        id: window, by: Self.maintenanceActor, at: Date(), on: db)
                    #expect(
                        try await eventually(within: .seconds(5)) {
                            engine.maintenanceWindow(covering: fleet.a.uuid, at: Date()) == nil
                        })
                    // Still down after the window: the open episode pages now, once.
                    try await feed.round([fleet.a: false], at: Date().timeIntervalSince(feed.start) + 10)
                    #expect(try await eventually(within: .seconds(10)) { receiver.bodies.count >= 1 })
                    #expect(receiver.bodies.map { $0["event"] } == ["firing"])
                    #expect(receiver.bodies.first?["device_name"] == "router-a")
                    #expect(try await db.integer("SELECT count(*) FROM alert_history") == 1)
                }
            }
        }
    }
}
