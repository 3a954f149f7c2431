import Foundation
import OutpostStore

/// Finds the device a CSV row describes, and refuses a row that repeats another's key or
/// would change the same device as another.
struct DeviceImportMatcher {
    private var byName: [Key: [DeviceRecord]] = [:]
    private var byIP: [Key: [DeviceRecord]] = [:]
    /// The line of the first row with each (branch, name).
    private var keysSeen: [Key: Int] = [:]
    /// The line of the row matching each device.
    private var devicesClaimed: [UUID: Int] = [:]

    /// A branch (`""` for none) and a name or an IP.
    private struct Key: Hashable {
        let branch: String
        let value: String
    }

    init(devices: [DeviceRecord]) {
        for device in devices {
            byName[Key(branch: device.branchName ?? "", value: device.name), default: []].append(device)
            byIP[Key(branch: device.branchName ?? "", value: device.ip), default: []].append(device)
        }
    }

    /// The device the row on `line` describing `draft` changes, or `nil` for a new device.
    mutating func match(_ draft: DeviceDraft, line: Int) throws(InputError) -> DeviceRecord? {
        let branch = draft.branch ?? ""
        let key = Key(branch: branch, value: draft.name)
        if let first = keysSeen[key] {
            throw InputError(field: "name", reason: "line \(first) has the same branch and name")
        }
        keysSeen[key] = line
        let named = byName[key] ?? []
        guard named.count <= 1 else {
            throw InputError(
                field: "name",
                reason:
                    "\(named.count) devices of \(branch.isEmpty ? "no branch" : "branch \(branch.debugDescription)") are named \(draft.name.debugDescription)"
            )
        }
        let sameIP = byIP[Key(branch: branch, value: draft.ip)] ?? []
        guard let device = named.first ?? (sameIP.count == 1 ? sameIP[0] : nil) else { return nil }
        if let other = devicesClaimed[device.id] {
            throw InputError(field: "ip", reason: "line \(other) changes the same device (\(device.name))")
        }
        devicesClaimed[device.id] = line
        return device
    }
}
