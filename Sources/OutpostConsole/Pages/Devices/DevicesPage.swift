/// The device list: search by name or address, filters by branch, region, type and state,
/// sortable columns, and pages of up to 1,000 devices.
public struct DevicesPage: ConsolePage {
    public static let template = "devices"

    /// One device's row.
    public struct Row: Sendable {
        public let id: String
        public let name: String
        public let ip: String
        public let branch: String?
        public let branchID: String?
        public let region: String?
        public let type: String?
        public let badge: StateBadge
        /// Since when the device is down, or when it last answered, in the operator's zone.
        public let since: String?
        public let enabled: Bool

        public init(
            id: String, name: String, ip: String, branch: String?, branchID: String?, region: String?, type: String?,
            badge: StateBadge, since: String?, enabled: Bool
        ) {
            self.id = id
            self.name = name
            self.ip = ip
            self.branch = branch
            self.branchID = branchID
            self.region = region
            self.type = type
            self.badge = badge
            self.since = since
            self.enabled = enabled
        }
    }

    public let frame: PageFrame
    public let search: String
    public let branches: [Choice]
    public let regions: [Choice]
    public let types: [Choice]
    public let states: [Choice]
    public let columns: [SortLink]
    public let rows: [Row]
    /// `Showing 875 devices` or `Showing 1,000 devices (more on the next page)`.
    public let summary: String
    public let nextHref: String?
    /// The first page of the same filters, when this is not it.
    public let firstHref: String?

    public init(
        frame: PageFrame, search: String, branches: [Choice], regions: [Choice], types: [Choice], states: [Choice],
        columns: [SortLink], rows: [Row], nextHref: String?, firstHref: String?
    ) {
        self.frame = frame
        self.search = search
        self.branches = branches
        self.regions = regions
        self.types = types
        self.states = states
        self.columns = columns
        self.rows = rows
        self.summary =
            "Showing \(rows.count) device\(rows.count == 1 ? "" : "s")"
            + (nextHref == nil ? "" : " (more on the next page)")
        self.nextHref = nextHref
        self.firstHref = firstHref
    }
}
