/// The availability report: a range picker and a grouping, a table of availability, MTTR,
/// MTBF and outage counts per row, the outages of the row chosen (the first
/// ``maximumOutages``; all are in the CSV), and links to the CSV files. Times are in the
/// operator's zone.
public struct ReportsPage: ConsolePage {
    public static let template = "reports"
    /// Outages listed at most; the CSV holds them all.
    public static let maximumOutages = 1_000

    /// One row of the table.
    public struct Row: Sendable {
        public let key: String
        public let name: String
        public let devices: Int
        /// `99.873%`, or `-` when nothing was monitored.
        public let availability: String
        public let down: String
        public let outages: Int
        public let mttr: String
        public let mtbf: String
        /// The page drilled down to this row's outages.
        public let href: String
        public let selected: Bool

        public init(
            key: String, name: String, devices: Int, availability: String, down: String, outages: Int, mttr: String,
            mtbf: String, href: String, selected: Bool
        ) {
            self.key = key
            self.name = name
            self.devices = devices
            self.availability = availability
            self.down = down
            self.outages = outages
            self.mttr = mttr
            self.mtbf = mtbf
            self.href = href
            self.selected = selected
        }
    }

    /// One outage of the drill-down list.
    public struct OutageLine: Sendable {
        public let deviceID: String
        public let device: String
        public let branch: String?
        public let start: String
        public let end: String
        public let duration: String
        public let inMaintenance: Bool
        /// The alerts raised during it, e.g. `critical: device down`.
        public let alerts: String

        public init(
            deviceID: String, device: String, branch: String?, start: String, end: String, duration: String,
            inMaintenance: Bool, alerts: String
        ) {
            self.deviceID = deviceID
            self.device = device
            self.branch = branch
            self.start = start
            self.end = end
            self.duration = duration
            self.inMaintenance = inMaintenance
            self.alerts = alerts
        }
    }

    public let frame: PageFrame
    /// The range as the picker shows it: days in the operator's zone, `to` excluded.
    public let from: String
    public let to: String
    public let groupings: [Choice]
    public let rows: [Row]
    /// The name of the row drilled down to, if any (outages are listed only then).
    public let drilledTo: String?
    public let outages: [OutageLine]
    /// Outages of the row beyond those listed.
    public let moreOutages: Int
    /// Whether there are any (for the template).
    public let hasMoreOutages: Bool
    /// The API's CSV of the rows, and of the outages shown.
    public let rowsCSV: String
    public let outagesCSV: String

    public init(
        frame: PageFrame, from: String, to: String, groupings: [Choice], rows: [Row], drilledTo: String?,
        outages: [OutageLine], moreOutages: Int, rowsCSV: String, outagesCSV: String
    ) {
        self.frame = frame
        self.from = from
        self.to = to
        self.groupings = groupings
        self.rows = rows
        self.drilledTo = drilledTo
        self.outages = outages
        self.moreOutages = moreOutages
        self.hasMoreOutages = moreOutages > 0
        self.rowsCSV = rowsCSV
        self.outagesCSV = outagesCSV
    }
}
