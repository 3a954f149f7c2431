/// The fields of a device an operator sets, as they are written: empty texts are no value.
struct DeviceValues: Equatable {
    var name: String
    var ip: String
    var branch: String?
    var hostname: String?
    var vendor: String?
    var deviceType: String?
    var deviceSubtype: String?
    var model: String?
    var location: String?
    var description: String?
    var enabled: Bool
    var tags: [String]
    var floorInfo: String?
    var unitNumber: Int?
    var sshPort: Int
    var sshUsername: String?
    var sshEnabled: Bool

    init(_ draft: DeviceDraft) {
        name = draft.name
        ip = draft.ip
        branch = Self.value(draft.branch)
        hostname = Self.value(draft.hostname)
        vendor = Self.value(draft.vendor)
        deviceType = Self.value(draft.deviceType)
        deviceSubtype = Self.value(draft.deviceSubtype)
        model = Self.value(draft.model)
        location = Self.value(draft.location)
        description = Self.value(draft.description)
        enabled = draft.enabled
        tags = draft.tags
        floorInfo = Self.value(draft.floorInfo)
        unitNumber = draft.unitNumber
        sshPort = draft.sshPort
        sshUsername = Self.value(draft.sshUsername)
        sshEnabled = draft.sshEnabled
    }

    init(_ record: DeviceRecord) {
        name = record.name
        ip = record.ip
        branch = record.branchName
        hostname = record.hostname
        vendor = record.vendor
        deviceType = record.deviceType
        deviceSubtype = record.deviceSubtype
        model = record.model
        location = record.location
        description = record.description
        enabled = record.enabled
        tags = record.tags
        floorInfo = record.floorInfo
        unitNumber = record.unitNumber
        sshPort = record.sshPort
        sshUsername = record.sshUsername
        sshEnabled = record.sshEnabled
    }

    /// Sets the fields `patch` sets.
    mutating func apply(_ patch: DevicePatch) {
        if let value = patch.name { name = value }
        if let value = patch.ip { ip = value }
        if let value = patch.branch { branch = Self.value(value) }
        if let value = patch.hostname { hostname = Self.value(value) }
        if let value = patch.vendor { vendor = Self.value(value) }
        if let value = patch.deviceType { deviceType = Self.value(value) }
        if let value = patch.deviceSubtype { deviceSubtype = Self.value(value) }
        if let value = patch.model { model = Self.value(value) }
        if let value = patch.location { location = Self.value(value) }
        if let value = patch.description { description = Self.value(value) }
        if let value = patch.enabled { enabled = value }
        if let value = patch.tags { tags = value }
        if let value = patch.floorInfo { floorInfo = Self.value(value) }
        if let value = patch.unitNumber { unitNumber = value }
        if let value = patch.sshPort { sshPort = value }
        if let value = patch.sshUsername { sshUsername = Self.value(value) }
        if let value = patch.sshEnabled { sshEnabled = value }
    }

    /// `text`, or `nil` when it is empty.
    private static func value(_ text: String?) -> String? {
        text?.isEmpty == false ? text : nil
    }
}
