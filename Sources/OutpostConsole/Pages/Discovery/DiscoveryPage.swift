/// `/discovery`: the discovery rules with their "Run now" buttons, and the recent jobs with
/// their progress. While a job is in progress the page polls itself.
public struct DiscoveryPage: ConsolePage {
    public static let template = "discovery"
    /// Seconds between refreshes while a job is in progress.
    public static let pollSeconds = 2

    /// One rule's line.
    public struct RuleLine: Sendable {
        public let id: String
        public let name: String
        public let ranges: String
        public let exclusions: String?
        /// The cron expression (UTC), or `on demand`.
        public let schedule: String
        public let enabled: Bool
        public let lastRun: String?

        public init(
            id: String, name: String, ranges: [String], exclusions: [String], schedule: String?, enabled: Bool,
            lastRun: String?
        ) {
            self.id = id
            self.name = name
            self.ranges = ranges.joined(separator: ", ")
            self.exclusions = exclusions.isEmpty ? nil : exclusions.joined(separator: ", ")
            self.schedule = schedule ?? "on demand"
            self.enabled = enabled
            self.lastRun = lastRun
        }
    }

    /// One job's line; times already in the operator's zone.
    public struct JobLine: Sendable {
        public let id: String
        public let rule: String
        /// `pending`, `dispatched`, `running`, `completed`, `failed` or `cancelled`.
        public let state: String
        public let inProgress: Bool
        public let scanned: Int
        public let total: Int
        /// Scanned addresses of the total, 0 to 100.
        public let percent: Int
        public let requested: String
        public let started: String?
        public let finished: String?
        public let found: Int
        public let imported: Int
        public let error: String?
        public let cancelRequested: Bool

        public init(
            id: String, rule: String, state: String, inProgress: Bool, scanned: Int, total: Int, requested: String,
            started: String?, finished: String?, found: Int, imported: Int, error: String?, cancelRequested: Bool
        ) {
            self.id = id
            self.rule = rule
            self.state = state
            self.inProgress = inProgress
            self.scanned = scanned
            self.total = total
            self.percent = total > 0 ? min(100, max(0, scanned * 100 / total)) : (state == "completed" ? 100 : 0)
            self.requested = requested
            self.started = started
            self.finished = finished
            self.found = found
            self.imported = imported
            self.error = error
            self.cancelRequested = cancelRequested
        }
    }

    public let frame: PageFrame
    public let rules: [RuleLine]
    public let jobs: [JobLine]
    /// Whether the operator may run and cancel jobs.
    public let canRun: Bool
    /// Whether some job is in progress (the page then polls).
    public let polling: Bool
    public let pollSeconds: Int

    public init(frame: PageFrame, rules: [RuleLine], jobs: [JobLine], canRun: Bool) {
        self.frame = frame
        self.rules = rules
        self.jobs = jobs
        self.canRun = canRun
        self.polling = jobs.contains { $0.inProgress }
        self.pollSeconds = Self.pollSeconds
    }
}
