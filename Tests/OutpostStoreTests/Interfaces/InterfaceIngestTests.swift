import Foundation
import OutpostCore
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostStore

@Suite("Interface tables through ingest", .tags(.postgres), .needsPostgres)
struct InterfaceIngestTests {
    static let writer = IngestWriter(logger: TestDatabase.logger)

    struct Items {
        let operStatus = ItemID(UUID())
        let hcInOctets = ItemID(UUID())
        let alias = ItemID(UUID())
        let highSpeed = ItemID(UUID())
        let physAddress = ItemID(UUID())
    }

    /// An agent, a device and its IF-MIB table items.
    static func fixture(_ db: PostgresConnection) async throws -> (AgentID, DeviceID, Items) {
        let agent = AgentID.random()
        let branch = try await Fixture.branch("b1", on: db)
        try await Fixture.agent(agent.uuid, serial: agent.description, branch: branch, on: db)
        let device = DeviceID(try await Fixture.device("rtr", ip: "10.0.0.5", branch: branch, on: db))
        let items = Items()
        for (id, oid, type) in [
            (items.operStatus, "1.3.6.1.2.1.2.2.1.8", "integer"),
            (items.hcInOctets, ".1.3.6.1.2.1.31.1.1.1.6", "counter64"),
            (items.alias, "1.3.6.1.2.1.31.1.1.1.18", "octetstring"),
            (items.highSpeed, "1.3.6.1.2.1.31.1.1.1.15", "gauge32"),
            (items.physAddress, "1.3.6.1.2.1.2.2.1.6", "octetstring"),
        ] {
            try await db.query(
                """
                INSERT INTO monitoring_items (id, device_id, oid_name, oid, value_type, is_table)
                VALUES (\(id.uuid), \(device.uuid), \(oid), \(oid), \(type), true)
                """, logger: TestDatabase.logger)
        }
        return (agent, device, items)
    }

    static func sample(
        _ item: ItemID, _ device: DeviceID, _ time: Date, _ ifIndex: String, _ value: SNMPValue, rate: Double? = nil,
        label: String? = nil
    ) -> ItemSample {
        ItemSample(
            itemID: item, deviceID: device, timestamp: time, value: value, rate: rate,
            instance: ItemInstance(key: ifIndex, label: label ?? "Gi0/\(ifIndex)"))
    }

    static func interfaces(_ db: PostgresConnection) async throws -> [String] {
        try await db.strings(
            """
            SELECT if_index || '|' || coalesce(description, '-') || '|' || coalesce(alias, '-') || '|'
                   || coalesce(oper_status, '-') || '|' || coalesce(speed_bps::text, '-') || '|'
                   || coalesce(round(in_bps)::text, '-') || '|' || coalesce(round(in_utilisation_percent::numeric, 1)::text, '-')
                   || '|' || coalesce(mac_address, '-') || '|' || coalesce(isp_provider, '-') || '|'
                   || (missing_since IS NOT NULL)
            FROM device_interfaces ORDER BY if_index
            """)
    }

    @Test("table samples are stored per instance and keep the device's interfaces, ISP links and gaps")
    func inventoryAndMetrics() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let (agent, device, items) = try await Self.fixture(db)
            let t0 = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded() - 600)
            let first: [ItemSample] = [
                Self.sample(items.operStatus, device, t0, "1", .integer(1)),
                Self.sample(items.operStatus, device, t0, "2", .integer(1)),
                Self.sample(items.alias, device, t0, "1", .octetString(Array("MAGTI internet 100M".utf8))),
                Self.sample(items.highSpeed, device, t0, "1", .gauge32(100)),
                Self.sample(items.highSpeed, device, t0, "2", .gauge32(1000)),
                Self.sample(items.physAddress, device, t0, "1", .octetString([0, 0x1b, 0x54, 0xaa, 0x0c, 0x01])),
                Self.sample(items.hcInOctets, device, t0, "1", .counter64(5_000_000), rate: 1_250_000),
            ]
            _ = try await Self.writer.write([IngestBatch(agentID: agent, sequence: 1, samples: first)], on: db)
            #expect(
                try await db.strings(
                    """
                    SELECT instance_key || '=' || instance_label FROM item_history
                    WHERE item_id = '\(items.operStatus.uuid)' ORDER BY instance_key
                    """) == ["1=Gi0/1", "2=Gi0/2"])
            #expect(
                try await Self.interfaces(db) == [
                    "1|Gi0/1|MAGTI internet 100M|up|100000000|10000000|10.0|00:1b:54:aa:0c:01|Magti|false",
                    "2|Gi0/2|-|up|1000000000|-|-|-|-|false",
                ])

            // A minute later ifIndex 1 is down and ifIndex 2 is no longer listed.
            let t1 = t0.addingTimeInterval(60)
            let second = [Self.sample(items.operStatus, device, t1, "1", .integer(2))]
            _ = try await Self.writer.write([IngestBatch(agentID: agent, sequence: 2, samples: second)], on: db)
            #expect(
                try await Self.interfaces(db) == [
                    "1|Gi0/1|MAGTI internet 100M|down|100000000|10000000|10.0|00:1b:54:aa:0c:01|Magti|false",
                    "2|Gi0/2|-|up|1000000000|-|-|-|-|true",
                ])
            #expect(
                try await db.integer(
                    "SELECT count(*) FROM device_interfaces WHERE oper_status_changed_at = '\(t1.ISO8601Format())'")
                    == 1)

            // A late replay of older values changes nothing; the same batch again writes nothing.
            let late = [Self.sample(items.operStatus, device, t0.addingTimeInterval(30), "1", .integer(1))]
            _ = try await Self.writer.write([IngestBatch(agentID: agent, sequence: 3, samples: late)], on: db)
            _ = try await Self.writer.write([IngestBatch(agentID: agent, sequence: 2, samples: second)], on: db)
            #expect(try await Self.interfaces(db)[0].contains("|down|"))
            #expect(try await db.integer("SELECT count(*) FROM item_history") == first.count + 2)

            // ifIndex 2 comes back; an instance that is no ifIndex is stored but makes no interface.
            let t2 = t1.addingTimeInterval(60)
            let third = [
                Self.sample(items.operStatus, device, t2, "2", .integer(1)),
                Self.sample(items.operStatus, device, t2, "1", .integer(2)),
                Self.sample(items.operStatus, device, t2, "4294967296", .integer(1)),
                Self.sample(items.operStatus, device, t2, "3.1", .integer(1)),
            ]
            _ = try await Self.writer.write([IngestBatch(agentID: agent, sequence: 4, samples: third)], on: db)
            #expect(try await Self.interfaces(db).map { $0.hasSuffix("false") } == [true, true])
            #expect(try await db.integer("SELECT count(*) FROM item_history WHERE instance_key = '4294967296'") == 1)
        }
    }

    @Test("an operator's ISP flag overrides the patterns, is audited, and makes the device an ISP link")
    func ispOverride() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let (agent, device, items) = try await Self.fixture(db)
            let now = Date().addingTimeInterval(-60)
            let samples = [
                Self.sample(items.alias, device, now, "7", .octetString(Array("to branch 12".utf8))),
                Self.sample(items.operStatus, device, now, "7", .integer(1)),
            ]
            _ = try await Self.writer.write([IngestBatch(agentID: agent, sequence: 1, samples: samples)], on: db)
            let alerts = AlertRuleStore(logger: TestDatabase.logger)
            #expect(try await alerts.devices([device.uuid], on: db).first?.isISPLink == false)
            let store = InterfaceStore(logger: TestDatabase.logger)
            try await store.setISPOverride(true, device: device.uuid, ifIndex: 7, by: .commandLine(), on: db)
            #expect(try await store.interfaces(device: device.uuid, on: db).map(\.isISPLink) == [true])
            #expect(try await alerts.devices([device.uuid], on: db).first?.isISPLink == true)
            #expect(try await db.integer("SELECT count(*) FROM audit_log WHERE entity = 'interface'") == 1)
            await #expect(throws: InterfaceStore.Failure.unknownInterface) {
                try await store.setISPOverride(true, device: device.uuid, ifIndex: 8, by: .commandLine(), on: db)
            }
            try await store.setISPOverride(nil, device: device.uuid, ifIndex: 7, by: .commandLine(), on: db)
            #expect(try await store.interfaces(device: device.uuid, on: db).first?.ispOverride == nil)
        }
    }
}
