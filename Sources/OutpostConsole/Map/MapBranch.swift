/// A branch as the map takes it: names, region, position (its own, else its town's) and its
/// enabled devices by state.
public struct MapBranch: Sendable, Equatable {
    /// `branches.id`, lower-case UUID text (the marker's `data-branch`, for live updates).
    public let id: String
    /// The unique short name (the link `/branches/{name}`).
    public let name: String
    public let displayName: String
    public let displayNameKa: String?
    /// The region's English name; `nil` when not recorded.
    public let region: String?
    public let regionKa: String?
    public let latitude: Double?
    public let longitude: Double?
    public let up: Int
    public let down: Int
    public let unknown: Int

    public init(
        id: String, name: String, displayName: String, displayNameKa: String?, region: String?, regionKa: String?,
        latitude: Double?, longitude: Double?, up: Int, down: Int, unknown: Int
    ) {
        self.id = id
        self.name = name
        self.displayName = displayName
        self.displayNameKa = displayNameKa
        self.region = region
        self.regionKa = regionKa
        self.latitude = latitude
        self.longitude = longitude
        self.up = up
        self.down = down
        self.unknown = unknown
    }

    /// The branch's state: the worst of its devices' (a branch with none is unknown).
    public var badge: StateBadge { .worst(up: up, down: down, unknown: unknown) }

    /// The name in English and, when set, in Georgian: `Telavi · თელავი`.
    public var bothNames: String {
        displayNameKa.map { "\(displayName) · \($0)" } ?? displayName
    }
}
