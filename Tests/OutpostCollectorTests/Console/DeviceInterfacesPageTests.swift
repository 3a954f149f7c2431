import Foundation
import OutpostTestSupport
import PostgresNIO
import Testing

@testable import OutpostCollectorTestSupport

/// The device page's interface table over real HTTP: inventory and traffic as stored, ISP
/// uplinks, interfaces gone from the device, and the ISP switch for the roles that may edit devices.
@Suite("Console: the device page's interfaces", .tags(.postgres), .needsPostgres)
struct DeviceInterfacesPageTests {
    @Test("interfaces listed by ifIndex with speed, state, traffic and ISP flag; the switch is offered to editors only")
    func interfaceTable() async throws {
        try await OperatorHTTPFixture.withServer(onNewDatabase: true) { db, http in
            let id = try await DevicePageTests.seed(db)
            let viewer = http.with(token: try await OperatorAccounts.add("eve", role: .viewer, on: db).token)
            #expect(!(try await viewer.get("/devices/\(id)").text.contains("id=\"device-interfaces\"")))

            try await db.execute(
                """
                INSERT INTO device_interfaces (device_id, if_index, name, alias, description, admin_status, oper_status,
                    speed_bps, in_bps, out_bps, in_utilisation_percent, out_utilisation_percent, errors_per_second,
                    discards_per_second, isp_provider, missing_since)
                VALUES ('\(id)', 10, 'Gi0/1', 'MAGTI 100M', 'GigabitEthernet0/1', 'up', 'up', 100000000, 12400000,
                        950, 12.4, 0.001, 0, 0.5, 'Magti', NULL),
                       ('\(id)', 2, 'Gi0/0', '', 'GigabitEthernet0/0', 'up', 'down', 1000000000, NULL, NULL, NULL,
                        NULL, NULL, NULL, NULL, NULL),
                       ('\(id)', 7, 'Vlan7', NULL, 'Vlan7', 'up', 'up', NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                        NULL, now() - interval '1 hour')
                """)
            let page = try await viewer.get("/devices/\(id)").text
            let table = try #require(page.firstMatch(of: /<table class="grid" id="device-interfaces"[\s\S]*?<\/table>/))
            let rows = String(table.0).matches(of: /<tr data-if-index="(\d+)"[^>]*>([\s\S]*?)<\/tr>/)
            #expect(rows.map { String($0.1) } == ["2", "7", "10"])
            let cells = rows.map { row in
                String(row.2).matches(of: /<td>([\s\S]*?)<\/td>/).map {
                    String($0.1).replacing(/<[^>]+>/, with: "").trimmingCharacters(in: .whitespaces)
                }
            }
            // An empty alias falls back to the description; down is shown as such.
            #expect(Array(cells[0].prefix(6)) == ["2", "Gi0/0", "GigabitEthernet0/0", "1 Gbit/s", "up", "▼ down"])
            #expect(cells[1][1].hasPrefix("Vlan7 (gone since "), "\(cells[1])")
            #expect(rows[1].0.contains("class=\"muted\""))
            #expect(
                Array(cells[2].prefix(12)) == [
                    "10", "Gi0/1", "MAGTI 100M", "100 Mbit/s", "up", "▲ up", "", "12.4 Mbit/s", "950 bit/s",
                    "12.4 % / 0.0 %", "0.0 / 0.5", "Magti",
                ], "\(cells[2])")
            #expect(!table.0.contains("<button"), "a viewer may not change the ISP flag")

            let technician = http.with(token: try await OperatorAccounts.add("tom", role: .technician, on: db).token)
            #expect(!(try await technician.get("/devices/\(id)").text.contains("/interfaces/10/isp")))
            let admin = try await OperatorAccounts.admin(http, on: db)
            let editable = try await admin.get("/devices/\(id)").text
            #expect(
                editable.contains(
                    "data-path=\"/api/v1/devices/\(id)/interfaces/10/isp\" data-body='{&quot;isp_override&quot;: false}'"
                ))
            #expect(editable.contains("data-path=\"/api/v1/devices/\(id)/interfaces/2/isp\""))
            // The button's request, as the console sends it, flips the flag.
            let flipped = try await admin.send(
                "PUT", "/api/v1/devices/\(id)/interfaces/2/isp", json: ["isp_override": true])
            #expect(flipped.status == 200, "\(flipped.text)")
            let after = try await viewer.get("/devices/\(id)").text
            let row = try #require(after.firstMatch(of: /<tr data-if-index="2"[^>]*>([\s\S]*?)<\/tr>/))
            #expect(row.1.contains("operator"))
        }
    }
}
