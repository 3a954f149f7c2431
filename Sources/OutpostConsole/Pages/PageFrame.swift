/// What every console page shows around its content: title, navigation, who is logged in and
/// what they may do (controls they may not use are not drawn; the API refuses them anyway),
/// and the time zone times are shown in.
public struct PageFrame: Sendable {
    /// One entry of the navigation bar.
    public struct Link: Sendable {
        public let label: String
        public let href: String
        /// The entry of the page shown (`aria-current="page"`).
        public let current: Bool
    }

    /// What the operator's role allows, as the templates test it.
    public struct Abilities: Sendable {
        /// Acknowledge and resolve alerts, run jobs.
        public var operateAlerts = false
        /// Create, change and delete devices.
        public var editDevices = false
        /// Users, tokens, settings.
        public var administer = false

        public init(operateAlerts: Bool = false, editDevices: Bool = false, administer: Bool = false) {
            self.operateAlerts = operateAlerts
            self.editDevices = editDevices
            self.administer = administer
        }
    }

    /// The navigation sections, in the bar's order: key, label, path.
    public static let sections: [(key: String, label: String, href: String)] = [
        ("overview", "Overview", "/"),
        ("map", "Map", "/map"),
        ("branches", "Branches", "/branches"),
        ("devices", "Devices", "/devices"),
        ("alerts", "Alerts", "/alerts"),
        ("agents", "Agents", "/agents"),
        ("discovery", "Discovery", "/discovery"),
        ("reports", "Reports", "/reports"),
        ("admin", "Admin", "/admin"),
    ]

    public let title: String
    public let navigation: [Link]
    public let username: String
    public let role: String
    /// The regions a regional manager is limited to, comma separated; `nil` for every region.
    public let regions: String?
    public let can: Abilities
    /// Formats times in the operator's zone.
    public let clock: OperatorClock
    /// The zone times are shown in, and the one the header's switch offers (for the template).
    public let zoneLabel: String
    public let otherZone: String
    public let otherZoneLabel: String

    /// - Parameters:
    ///   - section: the key of the navigation entry this page belongs to.
    ///   - regions: the operator's regions when limited to some.
    public init(
        title: String, section: String, username: String, role: String, regions: [String]?, can: Abilities,
        clock: OperatorClock
    ) {
        self.title = title
        self.navigation = Self.sections.compactMap { entry in
            entry.key == "admin" && !can.administer
                ? nil : Link(label: entry.label, href: entry.href, current: entry.key == section)
        }
        self.username = username
        self.role = role
        self.regions = regions.map { $0.sorted().joined(separator: ", ") }
        self.can = can
        self.clock = clock
        self.zoneLabel = clock.label
        self.otherZone = clock.other.rawValue
        self.otherZoneLabel = clock.otherLabel
    }
}
