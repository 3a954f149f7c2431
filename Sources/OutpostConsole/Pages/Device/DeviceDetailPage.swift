/// One device: its state, facts, RTT and loss charts over the chosen range, its SNMP items'
/// charts, and its alerts.
public struct DeviceDetailPage: ConsolePage {
    public static let template = "device"

    /// A chart with its rendered SVG and a line of figures beside it.
    public struct Chart: Sendable {
        public let title: String
        /// The SVG (generated and escaped by ``TimeChart``), inserted as is.
        public let svg: String
        public let points: Int
        public let summary: String

        public init(title: String, svg: String, points: Int, summary: String) {
            self.title = title
            self.svg = svg
            self.points = points
            self.summary = summary
        }
    }

    public let frame: PageFrame
    public let id: String
    public let name: String
    public let badge: StateBadge
    public let facts: [Fact]
    public let ranges: [RangeLink]
    /// `1-minute buckets`, … : what the charts show.
    public let resolution: String
    public let charts: [Chart]
    public let itemCharts: [Chart]
    public let hasItemCharts: Bool
    public let alerts: [AlertRow]
    public let enabled: Bool
    /// The last finished trace of the device, if any.
    public let path: DevicePath?
    /// Its interfaces from the last inventory walk, by ifIndex.
    public let interfaces: [DeviceInterfaceRow]
    public let hasInterfaces: Bool
    /// The device's active LLDP/CDP neighbours.
    public let neighbours: [DeviceNeighbourRow]
    public let hasNeighbours: Bool

    public init(
        frame: PageFrame, id: String, name: String, badge: StateBadge, facts: [Fact], ranges: [RangeLink],
        resolution: String, charts: [Chart], itemCharts: [Chart], alerts: [AlertRow], enabled: Bool,
        path: DevicePath? = nil, interfaces: [DeviceInterfaceRow] = [], neighbours: [DeviceNeighbourRow] = []
    ) {
        self.frame = frame
        self.id = id
        self.name = name
        self.badge = badge
        self.facts = facts
        self.ranges = ranges
        self.resolution = resolution
        self.charts = charts
        self.itemCharts = itemCharts
        self.hasItemCharts = !itemCharts.isEmpty
        self.alerts = alerts
        self.enabled = enabled
        self.path = path
        self.interfaces = interfaces
        self.hasInterfaces = !interfaces.isEmpty
        self.neighbours = neighbours
        self.hasNeighbours = !neighbours.isEmpty
    }
}
