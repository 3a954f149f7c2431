import Foundation

/// The LLDP and CDP neighbours one device reported in one walk, as the agent sends them in the
/// generic section of a batch (kind neighbours), JSON-encoded. Spooled like any result, so a
/// walk made while the WAN is down still reaches the collector (`docs/topology.md`).
public struct NeighbourReport: Sendable, GenericResultPayload, Equatable {
    /// One neighbour: a remote port seen on a local port.
    public struct Neighbour: Sendable, Codable, Equatable, Hashable {
        /// `lldp` or `cdp`.
        public var protocolName: String
        /// The local port's name (LLDP lldpLocPortId/Desc, CDP the ifIndex's number), if known.
        public var localPort: String?
        /// The local port's number (LLDP lldpLocPortNum, CDP cdpCacheIfIndex).
        public var localPortNumber: Int
        /// The remote chassis id: a MAC as `aa:bb:cc:dd:ee:ff`, an address or a name; CDP's device id.
        public var remoteChassisID: String?
        /// The remote port id (LLDP lldpRemPortId, CDP cdpCacheDevicePort).
        public var remotePort: String?
        /// The remote system name (LLDP lldpRemSysName, CDP the device id).
        public var remoteSysName: String?
        /// The remote management address (IPv4 or IPv6 literal), if advertised.
        public var managementAddress: String?

        /// Creates a neighbour.
        public init(
            protocolName: String, localPort: String?, localPortNumber: Int, remoteChassisID: String?,
            remotePort: String?, remoteSysName: String?, managementAddress: String?
        ) {
            self.protocolName = protocolName
            self.localPort = localPort
            self.localPortNumber = localPortNumber
            self.remoteChassisID = remoteChassisID
            self.remotePort = remotePort
            self.remoteSysName = remoteSysName
            self.managementAddress = managementAddress
        }
    }

    /// The device walked (`standalone_devices.id`).
    public var deviceID: UUID
    /// When the walk ended (UTC).
    public var observedAt: Date
    /// The neighbours listed, LLDP first, then CDP.
    public var neighbours: [Neighbour]

    /// Creates a report.
    public init(deviceID: UUID, observedAt: Date, neighbours: [Neighbour]) {
        self.deviceID = deviceID
        self.observedAt = observedAt
        self.neighbours = neighbours
    }
}
