/// One interface of the device, as the device page lists it: identity, state, traffic and
/// whether it counts as an ISP uplink (with the operator's switch for that).
public struct DeviceInterfaceRow: Sendable {
    public let ifIndex: Int
    public let name: String
    /// The alias (ifAlias) when set, else the description (ifDescr).
    public let label: String
    /// `1 Gbit/s`, `100 Mbit/s`, or empty when unknown.
    public let speed: String
    public let adminStatus: String
    public let operStatus: String
    /// Whether the operational status is `up` (drawn as such).
    public let isUp: Bool
    /// When the operational status last changed, in the operator's zone.
    public let changed: String
    /// Inbound and outbound traffic, `12.4 Mbit/s`.
    public let inbound: String
    public let outbound: String
    /// Inbound / outbound utilisation of the speed, `3.1 % / 0.4 %`.
    public let utilisation: String
    /// Errors and discards per second, `0.0 / 0.0`.
    public let errors: String
    /// `Magti`, `operator`, or empty when it is no ISP uplink.
    public let isp: String
    public let isISPLink: Bool
    /// The request body that flips the operator's ISP flag.
    public let ispToggleBody: String
    /// When a walk first no longer listed it, in the operator's zone; `nil` while present.
    public let missingSince: String?

    public init(
        ifIndex: Int, name: String, label: String, speed: String, adminStatus: String, operStatus: String,
        changed: String, inbound: String, outbound: String, utilisation: String, errors: String, isp: String,
        isISPLink: Bool, missingSince: String?
    ) {
        self.ifIndex = ifIndex
        self.name = name
        self.label = label
        self.speed = speed
        self.adminStatus = adminStatus
        self.operStatus = operStatus
        self.isUp = operStatus == "up"
        self.changed = changed
        self.inbound = inbound
        self.outbound = outbound
        self.utilisation = utilisation
        self.errors = errors
        self.isp = isp
        self.isISPLink = isISPLink
        self.ispToggleBody = isISPLink ? #"{"isp_override": false}"# : #"{"isp_override": true}"#
        self.missingSince = missingSince
    }
}
