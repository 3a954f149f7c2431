/// `/map`: the operator's branches on a map of Georgia, clustered per region when zoomed out,
/// with a legend, the branches it could not place, and a table of the regions.
public struct MapPage: ConsolePage {
    public static let template = "map"

    /// A region's line of the table: branches, and their enabled devices by state.
    public struct RegionLine: Sendable {
        public let region: String
        public let regionKa: String?
        public let branches: Int
        public let up: Int
        public let down: Int
        public let unknown: Int
        public let badge: StateBadge
    }

    /// One entry of the legend: a state's marker shape, symbol and word.
    public struct LegendEntry: Sendable {
        public let state: String
        public let symbol: String
        public let shape: String
    }

    public let frame: PageFrame
    public let map: BranchMap
    public let regions: [RegionLine]
    public let legend: [LegendEntry]
    /// How many branches the operator may see, and how many of them are on the map.
    public let branchCount: Int
    public let placedCount: Int

    public init(frame: PageFrame, branches: [MapBranch], outline: GeorgiaOutline = .embedded) {
        self.frame = frame
        self.map = BranchMap(branches: branches, outline: outline)
        self.branchCount = branches.count
        self.placedCount = map.branches.count
        self.regions = Self.regionLines(of: branches)
        self.legend = ["up", "down", "unknown"].map { state in
            let badge = StateBadge(state)
            return LegendEntry(state: badge.state, symbol: badge.symbol, shape: MarkerShape.path(for: badge.state))
        }
    }

    /// One line per region by name, branches in no region last, counting placed and unplaced
    /// branches alike.
    static func regionLines(of branches: [MapBranch]) -> [RegionLine] {
        let groups = Dictionary(grouping: branches) { $0.region ?? "" }
        let names = groups.keys.filter { !$0.isEmpty }.sorted() + (groups[""] == nil ? [] : [""])
        return names.map { name in
            let members = groups[name, default: []]
            let up: Int = members.reduce(0) { $0 + $1.up }
            let down: Int = members.reduce(0) { $0 + $1.down }
            let unknown: Int = members.reduce(0) { $0 + $1.unknown }
            return RegionLine(
                region: name.isEmpty ? "No region" : name, regionKa: members.first?.regionKa, branches: members.count,
                up: up, down: down, unknown: unknown, badge: MapLayout.worst(members.map(\.badge)))
        }
    }
}
