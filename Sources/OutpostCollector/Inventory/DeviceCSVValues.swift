import OutpostStore

/// The values of one CSV row, typed: an empty cell is no value (`enabled` true, `ssh_port` 22,
/// no tags), a cell behind a formula guard is read without it.
struct DeviceCSVValues {
    /// The device the row describes, with the defaults for the columns the file lacks.
    let draft: DeviceDraft
    /// The columns of the file (a row changes only these).
    let columns: Set<DeviceCSVColumn>

    /// Reads and validates `row`.
    ///
    /// - Throws: ``InputError`` naming the column of the first refused cell.
    init(_ row: DeviceCSVReader.Row, columns: [DeviceCSVColumn]) throws(InputError) {
        guard row.extraCells == 0 else {
            throw InputError(
                field: "row", reason: "has \(columns.count + row.extraCells) cells; the header has \(columns.count)")
        }
        func text(_ column: DeviceCSVColumn) -> String? {
            row.cells[column].map(DeviceCSVCell.unguarded).flatMap { $0.isEmpty ? nil : $0 }
        }
        guard let name = text(.name) else { throw InputError(field: "name", reason: "is required") }
        guard let ip = text(.ip) else { throw InputError(field: "ip", reason: "is required") }
        var draft = DeviceDraft(
            name: name, ip: ip, branch: text(.branch), hostname: text(.hostname), vendor: text(.vendor),
            deviceType: text(.deviceType), deviceSubtype: text(.deviceSubtype), model: text(.model),
            location: text(.location), description: text(.description), sshUsername: text(.sshUsername))
        if let enabled = text(.enabled) {
            switch enabled.lowercased() {
            case "true", "yes", "1": draft.enabled = true
            case "false", "no", "0": draft.enabled = false
            default:
                throw InputError(
                    field: "enabled", reason: "must be true or false, not \(enabled.debugDescription)")
            }
        }
        if let tags = text(.tags) { draft.tags = tags.split(separator: ";").map(String.init) }
        if let port = text(.sshPort) {
            guard let number = Int(port) else {
                throw InputError(
                    field: "ssh_port", reason: "must be a number, not \(port.prefix(20).debugDescription)")
            }
            draft.sshPort = number
        }
        try draft.validate()
        self.draft = draft
        self.columns = Set(columns)
    }

    /// The CSV names of the columns whose value differs from `device`'s, and the patch setting them.
    func changes(from device: DeviceRecord) -> (fields: [String], patch: DevicePatch) {
        var patch = DevicePatch()
        var fields: [String] = []
        func compare<Value: Equatable>(_ column: DeviceCSVColumn, _ old: Value, _ new: Value, _ set: () -> Void) {
            guard columns.contains(column), old != new else { return }
            fields.append(column.rawValue)
            set()
        }
        func blank(_ text: String?) -> String? { text?.isEmpty == false ? text : nil }
        compare(.ip, device.ip, draft.ip) { patch.ip = draft.ip }
        compare(.hostname, blank(device.hostname), draft.hostname) { patch.hostname = .some(draft.hostname) }
        compare(.vendor, blank(device.vendor), draft.vendor) { patch.vendor = .some(draft.vendor) }
        compare(.deviceType, blank(device.deviceType), draft.deviceType) { patch.deviceType = .some(draft.deviceType) }
        compare(.deviceSubtype, blank(device.deviceSubtype), draft.deviceSubtype) {
            patch.deviceSubtype = .some(draft.deviceSubtype)
        }
        compare(.model, blank(device.model), draft.model) { patch.model = .some(draft.model) }
        compare(.location, blank(device.location), draft.location) { patch.location = .some(draft.location) }
        compare(.description, blank(device.description), draft.description) {
            patch.description = .some(draft.description)
        }
        compare(.enabled, device.enabled, draft.enabled) { patch.enabled = draft.enabled }
        compare(.tags, device.tags, draft.tags) { patch.tags = draft.tags }
        compare(.sshPort, device.sshPort, draft.sshPort) { patch.sshPort = draft.sshPort }
        compare(.sshUsername, blank(device.sshUsername), draft.sshUsername) {
            patch.sshUsername = .some(draft.sshUsername)
        }
        compare(.name, device.name, draft.name) { patch.name = draft.name }
        return (fields, patch)
    }
}
