import OutpostStore

/// Devices as a CSV file in the columns of ``DeviceCSVColumn`` (docs/device-import.md), which
/// ``DeviceCSVImport`` reads back to the same values.
public enum DeviceCSVExport {
    /// A header line, then one line per device; cells quoted where needed and guarded against
    /// spreadsheet formulas.
    public static func csv(_ devices: [DeviceRecord]) -> String {
        var lines = [DeviceCSVColumn.allCases.map(\.rawValue).joined(separator: ",")]
        for device in devices {
            let cells = DeviceCSVColumn.allCases.map { column in
                DeviceCSVCell.quoted(DeviceCSVCell.guarded(cell(column, of: device)))
            }
            lines.append(cells.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func cell(_ column: DeviceCSVColumn, of device: DeviceRecord) -> String {
        switch column {
        case .branch: device.branchName ?? ""
        case .name: device.name
        case .ip: device.ip
        case .hostname: device.hostname ?? ""
        case .vendor: device.vendor ?? ""
        case .deviceType: device.deviceType ?? ""
        case .deviceSubtype: device.deviceSubtype ?? ""
        case .model: device.model ?? ""
        case .location: device.location ?? ""
        case .description: device.description ?? ""
        case .enabled: device.enabled ? "true" : "false"
        case .tags: device.tags.joined(separator: ";")
        case .sshPort: String(device.sshPort)
        case .sshUsername: device.sshUsername ?? ""
        }
    }
}
