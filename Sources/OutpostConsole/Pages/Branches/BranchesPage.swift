/// Every branch the operator may see, with its worst device state and counts.
public struct BranchesPage: ConsolePage {
    public static let template = "branches"

    /// One branch's row.
    public struct Row: Sendable {
        public let id: String
        public let name: String
        public let displayName: String
        public let displayNameKa: String?
        public let region: String
        public let city: String
        public let agents: Int
        public let up: Int
        public let down: Int
        public let unknown: Int
        public let badge: StateBadge

        public init(
            id: String, name: String, displayName: String, displayNameKa: String?, region: String?, city: String?,
            agents: Int, up: Int, down: Int, unknown: Int
        ) {
            self.id = id
            self.name = name
            self.displayName = displayName
            self.displayNameKa = displayNameKa
            self.region = region ?? "—"
            self.city = city ?? "—"
            self.agents = agents
            self.up = up
            self.down = down
            self.unknown = unknown
            self.badge = .worst(up: up, down: down, unknown: unknown)
        }
    }

    public let frame: PageFrame
    public let rows: [Row]

    public init(frame: PageFrame, rows: [Row]) {
        self.frame = frame
        self.rows = rows
    }
}
