/// One LLDP/CDP neighbour of a device as its page lists it: the local port, the neighbour
/// (linked when it is a known device), its port, address, protocol and when it was last seen.
public struct DeviceNeighbourRow: Sendable {
    public let localPort: String
    public let name: String
    /// `/devices/<id>` for a known device, `nil` otherwise.
    public let href: String?
    public let remotePort: String
    public let address: String
    public let protocolName: String
    public let lastSeen: String

    public init(
        localPort: String?, name: String, href: String?, remotePort: String?, address: String?, protocolName: String,
        lastSeen: String
    ) {
        self.localPort = localPort ?? "–"
        self.name = name
        self.href = href
        self.remotePort = remotePort ?? "–"
        self.address = address ?? "–"
        self.protocolName = protocolName.uppercased()
        self.lastSeen = lastSeen
    }
}
