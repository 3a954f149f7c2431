/// The overview: devices by state, open alerts by severity, agents online, how fresh the data
/// is, and the branches with devices down.
public struct OverviewPage: ConsolePage {
    public static let template = "overview"

    /// A count with its share of the total, for a stat tile.
    public struct Tally: Sendable {
        public let label: String
        public let count: Int
        /// `up`, `down`, … (CSS class); the word is always shown beside the colour.
        public let state: String

        public init(label: String, count: Int, state: String) {
            self.label = label
            self.count = count
            self.state = state
        }
    }

    /// An open alert's line.
    public struct AlertLine: Sendable {
        public let id: String
        public let severity: String
        public let rule: String
        public let message: String
        public let device: String?
        public let deviceID: String?
        public let branch: String?
        public let triggered: String
        public let acknowledged: Bool

        public init(
            id: String, severity: String, rule: String, message: String, device: String?, deviceID: String?,
            branch: String?, triggered: String, acknowledged: Bool
        ) {
            self.id = id
            self.severity = severity
            self.rule = rule
            self.message = message
            self.device = device
            self.deviceID = deviceID
            self.branch = branch
            self.triggered = triggered
            self.acknowledged = acknowledged
        }
    }

    /// A branch with devices down.
    public struct BranchLine: Sendable {
        public let name: String
        public let displayName: String
        public let region: String
        public let down: Int
        public let total: Int
        public let badge: StateBadge

        public init(name: String, displayName: String, region: String?, down: Int, total: Int, badge: StateBadge) {
            self.name = name
            self.displayName = displayName
            self.region = region ?? "—"
            self.down = down
            self.total = total
            self.badge = badge
        }
    }

    public let frame: PageFrame
    public let devices: [Tally]
    public let alertsBySeverity: [Tally]
    public let openAlertCount: Int
    public let alerts: [AlertLine]
    public let agentsOnline: Int
    public let agentsTotal: Int
    /// How long ago the newest probe result arrived, e.g. `4 s`; `nil` when none ever did.
    public let newestResultAge: String?
    /// Devices probed in the last five minutes, of the enabled ones.
    public let devicesFresh: Int
    public let devicesEnabled: Int
    public let troubledBranches: [BranchLine]

    public init(
        frame: PageFrame, devices: [Tally], alertsBySeverity: [Tally], alerts: [AlertLine], agentsOnline: Int,
        agentsTotal: Int, newestResultAge: String?, devicesFresh: Int, devicesEnabled: Int,
        troubledBranches: [BranchLine]
    ) {
        self.frame = frame
        self.devices = devices
        self.alertsBySeverity = alertsBySeverity
        self.openAlertCount = alertsBySeverity.reduce(0) { $0 + $1.count }
        self.alerts = alerts
        self.agentsOnline = agentsOnline
        self.agentsTotal = agentsTotal
        self.newestResultAge = newestResultAge
        self.devicesFresh = devicesFresh
        self.devicesEnabled = devicesEnabled
        self.troubledBranches = troubledBranches
    }
}
