import Foundation

/// The console's map of Georgia as the `map` template draws it (server-side SVG): the outline,
/// one marker per placed branch, one cluster marker per region, and the branches it could not
/// place. Every field is stored, for Mustache; numbers are already SVG text.
public struct BranchMap: Sendable {
    /// A branch's marker: its shape and colour say its state, its title says the rest.
    public struct BranchMarker: Sendable {
        public let id: String
        public let name: String
        public let label: String
        public let state: String
        public let symbol: String
        /// The marker's SVG path data around its point.
        public let shape: String
        public let x: String
        public let y: String
        /// The tooltip: names, region, devices by state (one per line).
        public let title: String
    }

    /// A region's cluster marker, shown while the map is zoomed out: how many branches, the
    /// worst of their states, and the region's names.
    public struct ClusterMarker: Sendable {
        public let region: String
        public let regionKa: String?
        public let count: Int
        public let state: String
        public let symbol: String
        /// Where the marker is drawn (moved off its neighbours when they overlap) …
        public let x: String
        public let y: String
        /// … and the branches' centroid it stands for, joined by a leader line when moved.
        public let anchorX: String
        public let anchorY: String
        public let moved: Bool
        /// The text in the marker: symbol and count.
        public let text: String
        public let title: String
    }

    /// A branch with no position (neither its own nor its town's), or one outside the map.
    public struct UnplacedBranch: Sendable {
        public let name: String
        public let label: String
        public let reason: String
    }

    /// `0 0 width height`.
    public let viewBox: String
    public let width: String
    public let height: String
    /// Georgia's land.
    public let georgiaPath: String
    /// The neighbours' land in the frame.
    public let neighboursPath: String
    public let branches: [BranchMarker]
    public let clusters: [ClusterMarker]
    public let unplaced: [UnplacedBranch]
    /// Whether `unplaced` lists any branch (for the template).
    public let hasUnplaced: Bool
    /// Where the outline comes from (shown under the map).
    public let attribution: String

    /// Lays out `branches` on `outline` drawn with `projection` (default: the outline's frame
    /// at 160 units per degree).
    public init(branches: [MapBranch], outline: GeorgiaOutline = .embedded, projection: MapProjection? = nil) {
        let projection = projection ?? MapProjection(frame: outline.frame)
        self.viewBox = "0 0 \(MapNumber.text(projection.width)) \(MapNumber.text(projection.height))"
        self.width = MapNumber.text(projection.width)
        self.height = MapNumber.text(projection.height)
        self.georgiaPath = projection.path(outline.georgia)
        self.neighboursPath = projection.path(outline.neighbours.keys.sorted().flatMap { outline.neighbours[$0] ?? [] })
        self.attribution = outline.source

        var placed: [(branch: MapBranch, point: MapPoint)] = []
        var unplaced: [UnplacedBranch] = []
        for branch in branches {
            guard let latitude = branch.latitude, let longitude = branch.longitude else {
                unplaced.append(.init(name: branch.name, label: branch.bothNames, reason: "no coordinates"))
                continue
            }
            guard projection.contains(latitude: latitude, longitude: longitude) else {
                unplaced.append(.init(name: branch.name, label: branch.bothNames, reason: "outside the map"))
                continue
            }
            placed.append((branch, projection.point(latitude: latitude, longitude: longitude)))
        }
        self.unplaced = unplaced
        self.hasUnplaced = !unplaced.isEmpty
        let spread = MapLayout.spread(placed.map(\.point))
        self.branches = zip(placed, spread).map { entry, point in
            let branch = entry.branch
            let badge = branch.badge
            return BranchMarker(
                id: branch.id, name: branch.name, label: branch.bothNames, state: badge.state, symbol: badge.symbol,
                shape: MarkerShape.path(for: badge.state), x: MapNumber.text(point.x), y: MapNumber.text(point.y),
                title: [
                    branch.bothNames,
                    branch.region.map { r in branch.regionKa.map { "\(r) · \($0)" } ?? r } ?? "no region",
                    "\(badge.symbol) \(badge.state): devices \(branch.up) up, \(branch.down) down, \(branch.unknown) unknown",
                ].joined(separator: "\n"))
        }
        self.clusters = Self.clusters(of: placed, within: projection)
    }

    /// One cluster per region (branches in no region form their own), by region name, moved
    /// apart where their boxes would overlap.
    private static func clusters(of placed: [(branch: MapBranch, point: MapPoint)], within projection: MapProjection)
        -> [ClusterMarker]
    {
        let groups = Dictionary(grouping: placed) { $0.branch.region ?? "" }
        let keys = groups.keys.sorted()
        let anchors = keys.map { key -> MapPoint in
            let points = groups[key, default: []].map(\.point)
            return MapPoint(
                x: points.reduce(0) { $0 + $1.x } / Double(points.count),
                y: points.reduce(0) { $0 + $1.y } / Double(points.count))
        }
        let widths = keys.map { key in
            MapLayout.clusterWidth(
                region: key.isEmpty ? "No region" : key, regionKa: groups[key]?.first?.branch.regionKa)
        }
        let moved = MapLayout.separate(
            anchors, widths: widths, bounds: MapPoint(x: projection.width, y: projection.height))
        return keys.enumerated().map { index, key in
            let members = groups[key, default: []].map(\.branch)
            let badge = MapLayout.worst(members.map(\.badge))
            let up = members.reduce(0) { $0 + $1.up }
            let down = members.reduce(0) { $0 + $1.down }
            let unknown = members.reduce(0) { $0 + $1.unknown }
            let region = key.isEmpty ? "No region" : key
            let regionKa = members.first?.regionKa
            let (anchor, point) = (anchors[index], moved[index])
            let branchesDown = members.count { $0.badge.state == "down" }
            return ClusterMarker(
                region: region, regionKa: regionKa, count: members.count, state: badge.state, symbol: badge.symbol,
                x: MapNumber.text(point.x), y: MapNumber.text(point.y), anchorX: MapNumber.text(anchor.x),
                anchorY: MapNumber.text(anchor.y), moved: abs(point.x - anchor.x) + abs(point.y - anchor.y) > 1,
                text: "\(badge.symbol) \(members.count)",
                title: [
                    regionKa.map { "\(region) · \($0)" } ?? region,
                    "\(members.count) branches, \(branchesDown) with devices down",
                    "devices \(up) up, \(down) down, \(unknown) unknown",
                ].joined(separator: "\n"))
        }
    }
}
