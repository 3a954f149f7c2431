import Foundation

/// What a running sweep reports, in order: progress first and then at most every
/// ``DiscoveryConfiguration/progressInterval``, each host found once, the final progress,
/// and ``finished(_:)`` last. A consumer that cancels stops listening at once and gets no
/// ``finished(_:)``.
public enum DiscoveryEvent: Sendable, Equatable {
    /// Counters so far.
    case progress(DiscoveryProgress)
    /// A host answered ICMP or SNMP.
    case hostFound(DiscoveredHost)
    /// The sweep ended.
    case finished(DiscoverySummary)
}

/// Running counters of a sweep.
public struct DiscoveryProgress: Sendable, Equatable {
    /// Hosts the sweep covers.
    public var total: Int
    /// Hosts whose probing completed.
    public var scanned = 0
    /// Hosts that answered ICMP or SNMP.
    public var responded = 0
    /// Hosts whose SNMP system group was read.
    public var identified = 0
    /// Hosts that could not be probed properly: the ICMP engine sent nothing (it was shut
    /// down) or an SNMP request could not be made (silence and wrong credentials are not failures).
    public var failed = 0

    /// Counters of a sweep that has not started.
    public init(total: Int) { self.total = total }
}

/// The end of a sweep.
public struct DiscoverySummary: Sendable, Equatable {
    /// Final counters.
    public var progress: DiscoveryProgress
    /// When the sweep started (UTC).
    public var startedAt: Date
    /// How long it ran.
    public var duration: Duration
}

/// One host found by a sweep.
public struct DiscoveredHost: Sendable, Equatable {
    /// The address literal.
    public var address: String
    /// Whether it answered an echo request.
    public var respondsToICMP: Bool
    /// Round-trip time of the answered echo requests in milliseconds (mean), if any.
    public var rttMilliseconds: Double?
    /// The SNMP system group, if a candidate credential was accepted.
    public var system: SNMPSystemGroup?
    /// MAC address as lower-case `aa:bb:cc:dd:ee:ff`, from the agent host's neighbour table.
    public var macAddress: String?
    /// Vendor derived from the sysObjectID enterprise number.
    public var vendor: DeviceVendor?
    /// Device type derived from sysDescr and sysServices.
    public var deviceType: DeviceType
}

/// The SNMP system group (1.3.6.1.2.1.1) of a host and the credential that read it.
public struct SNMPSystemGroup: Sendable, Equatable {
    /// Index into ``DiscoveryConfiguration/credentials`` of the credential that answered.
    public var credentialIndex: Int
    /// sysDescr.0
    public var sysDescr: String?
    /// sysObjectID.0, dotted numeric.
    public var sysObjectID: String?
    /// sysUpTime.0 in hundredths of a second.
    public var sysUpTime: UInt32?
    /// sysName.0
    public var sysName: String?
    /// sysLocation.0
    public var sysLocation: String?
    /// sysServices.0: bit `L-1` set when the device offers layer-L services.
    public var sysServices: Int?

    /// Creates a system group.
    public init(
        credentialIndex: Int, sysDescr: String? = nil, sysObjectID: String? = nil, sysUpTime: UInt32? = nil,
        sysName: String? = nil, sysLocation: String? = nil, sysServices: Int? = nil
    ) {
        self.credentialIndex = credentialIndex
        self.sysDescr = sysDescr
        self.sysObjectID = sysObjectID
        self.sysUpTime = sysUpTime
        self.sysName = sysName
        self.sysLocation = sysLocation
        self.sysServices = sysServices
    }
}
