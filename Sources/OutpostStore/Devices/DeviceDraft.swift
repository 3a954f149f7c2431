/// A new device as an operator describes it. `name` and `ip` are required; the branch is named
/// (it must exist); an empty text is stored as no value.
public struct DeviceDraft: Sendable, Equatable {
    public var name: String
    public var ip: String
    /// The branch's name (`branches.name`), or `nil` for a device of no branch.
    public var branch: String?
    public var hostname: String?
    public var vendor: String?
    public var deviceType: String?
    public var deviceSubtype: String?
    public var model: String?
    public var location: String?
    public var description: String?
    public var enabled: Bool
    public var tags: [String]
    public var floorInfo: String?
    public var unitNumber: Int?
    public var sshPort: Int
    public var sshUsername: String?
    public var sshEnabled: Bool

    /// Creates a draft; every field but `name` and `ip` has the column's default.
    public init(
        name: String, ip: String, branch: String? = nil, hostname: String? = nil, vendor: String? = nil,
        deviceType: String? = nil, deviceSubtype: String? = nil, model: String? = nil, location: String? = nil,
        description: String? = nil, enabled: Bool = true, tags: [String] = [], floorInfo: String? = nil,
        unitNumber: Int? = nil, sshPort: Int = 22, sshUsername: String? = nil, sshEnabled: Bool = true
    ) {
        self.name = name
        self.ip = ip
        self.branch = branch
        self.hostname = hostname
        self.vendor = vendor
        self.deviceType = deviceType
        self.deviceSubtype = deviceSubtype
        self.model = model
        self.location = location
        self.description = description
        self.enabled = enabled
        self.tags = tags
        self.floorInfo = floorInfo
        self.unitNumber = unitNumber
        self.sshPort = sshPort
        self.sshUsername = sshUsername
        self.sshEnabled = sshEnabled
    }
}

extension DeviceDraft {
    /// Checks every field against its column's domain (not whether the branch exists).
    ///
    /// - Throws: ``InputError`` naming the first refused field.
    public func validate() throws(InputError) {
        try DeviceValidation.draft(self)
    }
}
