import Logging
import OutpostConsole
import OutpostStore

/// `/map`: the branches the operator may see (a regional manager: their regions') on the map
/// of Georgia.
struct MapPageRoute: Sendable {
    let logger: Logger

    func register(on site: ConsoleSite) {
        let store = BranchMapStore(logger: logger)
        site.page("/map") { _, _, viewer in
            let scope = viewer.principal.regionScope
            let positions = try await viewer.run { connection in
                try await store.positions(regions: scope, on: connection)
            }
            let branches = positions.filter { viewer.reaches($0.region) }.map { position in
                MapBranch(
                    id: position.id, name: position.name, displayName: position.displayName,
                    displayNameKa: position.displayNameKa, region: position.region, regionKa: position.regionKa,
                    latitude: position.latitude, longitude: position.longitude, up: position.devices.up,
                    down: position.devices.down, unknown: position.devices.unknown)
            }
            return HTMLResponse.page(MapPage(frame: viewer.frame(title: "Map", section: "map"), branches: branches))
        }
    }
}
