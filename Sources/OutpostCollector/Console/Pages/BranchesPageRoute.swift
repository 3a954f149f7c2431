import Logging
import OutpostConsole
import OutpostStore

/// `/branches`: every branch within the operator's regions, worst state first.
struct BranchesPageRoute: Sendable {
    let logger: Logger

    func register(on site: ConsoleSite) {
        let status = StatusStore(logger: logger)
        let directory = BranchDirectory(logger: logger)
        site.page("/branches") { _, _, viewer in
            let scope = viewer.principal.regionScope
            let (states, records) = try await viewer.run { connection in
                (try await status.branches(on: connection), try await directory.list(regions: scope, on: connection))
            }
            let stateByID = Dictionary(states.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            let rows = records.map { record -> BranchesPage.Row in
                let id = record.id.uuidString.lowercased()
                let counts = stateByID[id]
                return .init(
                    id: id, name: record.name, displayName: record.displayName, displayNameKa: record.displayNameKa,
                    region: record.region, city: record.city, agents: counts?.agents ?? 0,
                    up: counts?.devices.up ?? 0, down: counts?.devices.down ?? 0,
                    unknown: counts?.devices.unknown ?? 0)
            }
            let rank = ["down": 0, "unknown": 1, "up": 2]
            let sorted = rows.sorted {
                (rank[$0.badge.state] ?? 3, $0.region, $0.name) < (rank[$1.badge.state] ?? 3, $1.region, $1.name)
            }
            return HTMLResponse.page(
                BranchesPage(frame: viewer.frame(title: "Branches", section: "branches"), rows: sorted))
        }
    }
}
