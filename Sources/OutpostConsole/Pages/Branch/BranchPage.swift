/// One branch: its facts, its devices with their newest round, its agents, its open alerts,
/// and each device's figures over the last 24 hours.
public struct BranchPage: ConsolePage {
    public static let template = "branch"

    /// One device's line, with its 24-hour figures when it has history.
    public struct DeviceLine: Sendable {
        public let id: String
        public let name: String
        public let ip: String
        public let type: String?
        public let badge: StateBadge
        /// The newest round's RTT, e.g. `1.25 ms`.
        public let rtt: String?
        public let availability: String?
        public let meanRTT: String?
        public let loss: String?

        public init(
            id: String, name: String, ip: String, type: String?, badge: StateBadge, rtt: String?,
            availability: String?, meanRTT: String?, loss: String?
        ) {
            self.id = id
            self.name = name
            self.ip = ip
            self.type = type
            self.badge = badge
            self.rtt = rtt
            self.availability = availability
            self.meanRTT = meanRTT
            self.loss = loss
        }
    }

    /// One agent of the branch.
    public struct AgentLine: Sendable {
        public let name: String
        public let status: String
        public let lastSeen: String?
        public let version: String?
        public let certificateExpires: String

        public init(name: String, status: String, lastSeen: String?, version: String?, certificateExpires: String) {
            self.name = name
            self.status = status
            self.lastSeen = lastSeen
            self.version = version
            self.certificateExpires = certificateExpires
        }
    }

    public let frame: PageFrame
    public let id: String
    public let displayName: String
    public let displayNameKa: String?
    public let badge: StateBadge
    public let facts: [Fact]
    public let devices: [DeviceLine]
    public let agents: [AgentLine]
    public let alerts: [AlertRow]

    public init(
        frame: PageFrame, id: String, displayName: String, displayNameKa: String?, badge: StateBadge, facts: [Fact],
        devices: [DeviceLine], agents: [AgentLine], alerts: [AlertRow]
    ) {
        self.frame = frame
        self.id = id
        self.displayName = displayName
        self.displayNameKa = displayNameKa
        self.badge = badge
        self.facts = facts
        self.devices = devices
        self.agents = agents
        self.alerts = alerts
    }
}
