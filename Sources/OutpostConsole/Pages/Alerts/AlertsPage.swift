/// `/alerts`: the open alerts with their acknowledge and resolve buttons, the history of
/// resolved alerts a page at a time, and the maintenance windows active now or to come.
public struct AlertsPage: ConsolePage {
    public static let template = "alerts"

    /// An alert's line, open or resolved; times already in the operator's zone.
    public struct AlertLine: Sendable {
        public let id: String
        public let severity: String
        public let since: String
        /// How long ago it fired, e.g. `5 min`.
        public let age: String
        public let device: String?
        public let deviceID: String?
        public let branch: String?
        public let rule: String
        public let message: String
        public let value: String?
        public let acknowledged: Bool
        public let acknowledgedBy: String?
        public let acknowledgedAt: String?
        public let acknowledgementComment: String?
        public let resolvedAt: String?
        public let resolvedBy: String?
        public let resolutionComment: String?
        public let inMaintenance: Bool

        public init(
            id: String, severity: String, since: String, age: String, device: String?, deviceID: String?,
            branch: String?, rule: String, message: String, value: String?, acknowledged: Bool,
            acknowledgedBy: String?, acknowledgedAt: String?, acknowledgementComment: String?, resolvedAt: String?,
            resolvedBy: String?, resolutionComment: String?, inMaintenance: Bool
        ) {
            self.id = id
            self.severity = severity
            self.since = since
            self.age = age
            self.device = device
            self.deviceID = deviceID
            self.branch = branch
            self.rule = rule
            self.message = message
            self.value = value
            self.acknowledged = acknowledged
            self.acknowledgedBy = acknowledgedBy
            self.acknowledgedAt = acknowledgedAt
            self.acknowledgementComment = acknowledgementComment
            self.resolvedAt = resolvedAt
            self.resolvedBy = resolvedBy
            self.resolutionComment = resolutionComment
            self.inMaintenance = inMaintenance
        }
    }

    /// A maintenance window, active now or to come.
    public struct WindowLine: Sendable {
        public let id: String
        public let name: String
        /// `active` or `upcoming`.
        public let state: String
        public let starts: String
        /// When it closes, or `—` for a series without end.
        public let ends: String
        /// The cron expression of a recurring window.
        public let schedule: String?
        /// What it covers: devices, branches and regions, comma separated.
        public let targets: String
        public let comment: String?
        public let createdBy: String?
        /// Whether the operator may end it (edits devices and reaches every target).
        public let canEnd: Bool

        public init(
            id: String, name: String, active: Bool, starts: String, ends: String?, schedule: String?, targets: String,
            comment: String?, createdBy: String?, canEnd: Bool
        ) {
            self.id = id
            self.name = name
            self.state = active ? "active" : "upcoming"
            self.starts = starts
            self.ends = ends ?? "—"
            self.schedule = schedule
            self.targets = targets
            self.comment = comment
            self.createdBy = createdBy
            self.canEnd = canEnd
        }
    }

    /// One entry of a filter's drop-down.
    public struct Option: Sendable {
        public let value: String
        public let label: String
        public let selected: Bool

        public init(value: String, label: String, selected: Bool) {
            self.value = value
            self.label = label
            self.selected = selected
        }
    }

    /// The history's filters as the operator set them.
    public struct HistoryFilter: Sendable {
        public let severities: [Option]
        public let branches: [Option]
        public let device: String

        public init(severities: [Option], branches: [Option], device: String) {
            self.severities = severities
            self.branches = branches
            self.device = device
        }
    }

    public let frame: PageFrame
    public let open: [AlertLine]
    public let openCount: Int
    /// Set when more alerts are open than the page lists.
    public let openShownLimit: Int?
    public let history: [AlertLine]
    public let filter: HistoryFilter
    /// The link to the next (older) page of the history, if any.
    public let olderHref: String?
    /// The link back to the newest page, when not on it.
    public let newestHref: String?
    public let windows: [WindowLine]
    /// Whether the operator may schedule windows (edits devices).
    public let canSchedule: Bool
    /// The branches the operator may put in maintenance, by name.
    public let branchNames: [String]
    /// The operator's zone's offset from UTC in minutes, for the form's local times.
    public let zoneOffsetMinutes: Int

    public init(
        frame: PageFrame, open: [AlertLine], openShownLimit: Int?, history: [AlertLine], filter: HistoryFilter,
        olderHref: String?, newestHref: String?, windows: [WindowLine], canSchedule: Bool, branchNames: [String],
        zoneOffsetMinutes: Int
    ) {
        self.frame = frame
        self.open = open
        self.openCount = open.count
        self.openShownLimit = openShownLimit
        self.history = history
        self.filter = filter
        self.olderHref = olderHref
        self.newestHref = newestHref
        self.windows = windows
        self.canSchedule = canSchedule
        self.branchNames = branchNames
        self.zoneOffsetMinutes = zoneOffsetMinutes
    }
}
