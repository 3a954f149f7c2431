/// `/agents`: every agent the operator may see, with how recently it was heard from, its
/// version, certificate, configuration, spool and the health summary of its heartbeats.
public struct AgentsPage: ConsolePage {
    public static let template = "agents"

    /// Certificates expiring within this many days are flagged.
    public static let certificateWarningDays = 14

    /// One agent's line; times already in the operator's zone.
    public struct AgentLine: Sendable {
        public let id: String
        public let name: String
        public let branch: String
        /// `online`, `offline` or `revoked`, with its symbol: the word is always shown.
        public let connection: String
        public let connectionSymbol: String
        public let lastSeen: String?
        public let lastSeenAge: String?
        public let lastAddress: String?
        public let version: String?
        public let certificateExpiry: String
        public let certificateDaysLeft: Int
        /// `ok`, `expiring` (under ``certificateWarningDays`` days) or `expired`.
        public let certificateState: String
        public let certificateWarning: Bool
        public let configVersion: String?
        public let spoolBacklog: Int64
        public let droppedResults: Int64
        public let hasBacklog: Bool
        public let hasDropped: Bool
        /// The latest health summary and whether the agent is in trouble.
        public let health: AgentHealthLine

        /// - Parameters:
        ///   - status: `active` or `revoked`.
        ///   - online: heard from recently.
        ///   - certificateDaysLeft: whole days until the certificate expires (negative: expired).
        public init(
            id: String, name: String?, branch: String, status: String, online: Bool, lastSeen: String?,
            lastSeenAge: String?, lastAddress: String?, version: String?, certificateExpiry: String,
            certificateDaysLeft: Int, configVersion: String?, spoolBacklog: Int64, droppedResults: Int64,
            health: AgentHealthLine
        ) {
            self.id = id
            self.name = name ?? "—"
            self.branch = branch
            switch (status, online) {
            case ("active", true): (connection, connectionSymbol) = ("online", "▲")
            case ("active", false): (connection, connectionSymbol) = ("offline", "▼")
            default: (connection, connectionSymbol) = (status, "–")
            }
            self.lastSeen = lastSeen
            self.lastSeenAge = lastSeenAge
            self.lastAddress = lastAddress
            self.version = version
            self.certificateExpiry = certificateExpiry
            self.certificateDaysLeft = certificateDaysLeft
            if certificateDaysLeft < 0 {
                certificateState = "expired"
            } else if certificateDaysLeft < AgentsPage.certificateWarningDays {
                certificateState = "expiring"
            } else {
                certificateState = "ok"
            }
            self.certificateWarning = certificateState != "ok"
            self.configVersion = configVersion
            self.spoolBacklog = spoolBacklog
            self.droppedResults = droppedResults
            self.hasBacklog = spoolBacklog > 0
            self.hasDropped = droppedResults > 0
            self.health = health
        }
    }

    public let frame: PageFrame
    public let agents: [AgentLine]
    public let onlineCount: Int
    public let activeCount: Int
    public let expiringCount: Int
    /// Whether any certificate is expiring (Mustache takes a count of 0 as true).
    public let hasExpiring: Bool
    /// Agents whose health marks them as in trouble.
    public let troubleCount: Int
    public let hasTrouble: Bool

    public init(frame: PageFrame, agents: [AgentLine]) {
        self.frame = frame
        self.agents = agents
        self.onlineCount = agents.count { $0.connection == "online" }
        self.activeCount = agents.count { $0.connection != "revoked" }
        self.expiringCount = agents.count { $0.connection != "revoked" && $0.certificateWarning }
        self.hasExpiring = expiringCount > 0
        self.troubleCount = agents.count { $0.health.trouble }
        self.hasTrouble = troubleCount > 0
    }
}
