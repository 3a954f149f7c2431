/// The order of a device list; every order ends with the device's id, so that it is total.
public enum DeviceSort: String, Sendable, CaseIterable, Codable {
    /// By name, ignoring case.
    case name
    /// By IP address as text.
    case ip
    /// By branch name (devices of no branch first), then by name ignoring case.
    case branch
    /// By the last change an operator made (the creation time for a device never changed).
    case updated
}

/// What ``DeviceInventory/list(_:on:)`` selects and in which order.
public struct DeviceQuery: Sendable, Equatable {
    /// Case-insensitive substring of the name, IP, hostname or branch name.
    public var search: String?
    /// Only the devices of the branch with this name.
    public var branch: String?
    /// `nil`: every device. A set: only devices whose branch's region is in it (devices of no
    /// branch or of a branch without a region are left out), as a regional manager sees them.
    public var regions: Set<String>?
    /// Only enabled (`true`) or disabled (`false`) devices.
    public var enabled: Bool?
    /// Only devices of this `device_type`.
    public var deviceType: String?
    /// Only devices in this state, as ingest last derived it.
    public var state: DeviceState?
    public var sort: DeviceSort
    public var descending: Bool
    /// Devices per page, 1 to ``maximumLimit``.
    public var limit: Int
    /// ``DevicePage/nextCursor`` of the previous page, with the same sort and direction.
    public var cursor: String?

    /// Most devices on one page.
    public static let maximumLimit = 1000

    /// Creates a query; by default the first 100 devices of every region by name.
    public init(
        search: String? = nil, branch: String? = nil, regions: Set<String>? = nil, enabled: Bool? = nil,
        deviceType: String? = nil, state: DeviceState? = nil, sort: DeviceSort = .name, descending: Bool = false,
        limit: Int = 100,
        cursor: String? = nil
    ) {
        self.search = search
        self.branch = branch
        self.regions = regions
        self.enabled = enabled
        self.deviceType = deviceType
        self.state = state
        self.sort = sort
        self.descending = descending
        self.limit = limit
        self.cursor = cursor
    }
}

/// One page of devices.
public struct DevicePage: Sendable, Equatable, Encodable {
    public var devices: [DeviceRecord]
    /// The cursor of the next page, `nil` on the last one.
    public var nextCursor: String?

    /// Creates a page.
    public init(devices: [DeviceRecord], nextCursor: String?) {
        self.devices = devices
        self.nextCursor = nextCursor
    }
}
