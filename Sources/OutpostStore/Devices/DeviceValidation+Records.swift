extension DeviceValidation {
    /// Every field of a new device.
    static func draft(_ draft: DeviceDraft) throws(InputError) {
        try name(draft.name)
        try ip(draft.ip)
        try branch(draft.branch)
        try optionalFields(
            hostname: draft.hostname, vendor: draft.vendor, deviceType: draft.deviceType,
            deviceSubtype: draft.deviceSubtype, model: draft.model, location: draft.location,
            floorInfo: draft.floorInfo, sshUsername: draft.sshUsername)
        try description(draft.description)
        try tags(draft.tags)
        try unitNumber(draft.unitNumber)
        try sshPort(draft.sshPort)
    }

    /// The fields a patch sets (those it leaves keep whatever they hold).
    static func patch(_ patch: DevicePatch) throws(InputError) {
        if let value = patch.name { try name(value) }
        if let value = patch.ip { try ip(value) }
        if let value = patch.branch { try branch(value) }
        try optionalFields(
            hostname: patch.hostname ?? nil, vendor: patch.vendor ?? nil, deviceType: patch.deviceType ?? nil,
            deviceSubtype: patch.deviceSubtype ?? nil, model: patch.model ?? nil, location: patch.location ?? nil,
            floorInfo: patch.floorInfo ?? nil, sshUsername: patch.sshUsername ?? nil)
        try description(patch.description ?? nil)
        if let value = patch.tags { try tags(value) }
        try unitNumber(patch.unitNumber ?? nil)
        if let value = patch.sshPort { try sshPort(value) }
    }

    /// The optional single-line texts, at the lengths of their columns (an empty text is no value).
    private static func optionalFields(
        hostname: String?, vendor: String?, deviceType: String?, deviceSubtype: String?, model: String?,
        location: String?, floorInfo: String?, sshUsername: String?
    ) throws(InputError) {
        let fields: [(String?, String, Int)] = [
            (hostname, "hostname", 255), (vendor, "vendor", 100), (deviceType, "device_type", 100),
            (deviceSubtype, "device_subtype", 100), (model, "model", 100), (location, "location", 200),
            (floorInfo, "floor_info", 50), (sshUsername, "ssh_username", 100),
        ]
        for (value, field, maximum) in fields where value?.isEmpty == false {
            try optional(value, field: field, maximum: maximum)
        }
    }
}
