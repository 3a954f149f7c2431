/// A column of the device CSV files (docs/device-import.md), in the order export writes them.
public enum DeviceCSVColumn: String, CaseIterable, Sendable {
    case branch
    case name
    case ip
    case hostname
    case vendor
    case deviceType = "device_type"
    case deviceSubtype = "device_subtype"
    case model
    case location
    case description
    case enabled
    /// `;`-separated.
    case tags
    case sshPort = "ssh_port"
    case sshUsername = "ssh_username"

    /// The columns an import's header must have.
    static let required: [DeviceCSVColumn] = [.name, .ip]
}
