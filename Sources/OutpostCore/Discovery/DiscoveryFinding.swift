import Foundation

/// One host a discovery sweep found, as the agent reports it in the generic section of a batch
/// (kind discovery), JSON-encoded. Spooled like any result, so findings made while the WAN is
/// down still reach the collector.
public struct DiscoveryFinding: Sendable, GenericResultPayload, Equatable {
    /// The job (`discovery_jobs.id`).
    public var jobID: UUID
    /// The host's address literal.
    public var address: String
    /// Whether it answered an echo request.
    public var respondsToICMP: Bool
    /// Mean round-trip time in milliseconds, if it answered ICMP.
    public var rttMilliseconds: Double?
    /// SNMP version of the credential that answered, `nil` without an SNMP answer.
    public var snmpVersion: SNMPCredential.Version?
    public var sysDescr: String?
    public var sysObjectID: String?
    public var sysName: String?
    public var sysLocation: String?
    /// MAC address, lower-case colon-separated, when the agent could read it.
    public var macAddress: String?
    /// Vendor name (or `enterprise N`) from the sysObjectID, if any.
    public var vendor: String?
    /// Device type (`router`, `switch`, …, `unknown`).
    public var deviceType: String
    /// When the agent found the host (UTC).
    public var foundAt: Date

    /// Creates a finding.
    public init(
        jobID: UUID, address: String, respondsToICMP: Bool, rttMilliseconds: Double? = nil,
        snmpVersion: SNMPCredential.Version? = nil,
        sysDescr: String? = nil, sysObjectID: String? = nil, sysName: String? = nil, sysLocation: String? = nil,
        macAddress: String? = nil, vendor: String? = nil, deviceType: String = "unknown", foundAt: Date = Date()
    ) {
        self.jobID = jobID
        self.address = address
        self.respondsToICMP = respondsToICMP
        self.rttMilliseconds = rttMilliseconds
        self.snmpVersion = snmpVersion
        self.sysDescr = sysDescr
        self.sysObjectID = sysObjectID
        self.sysName = sysName
        self.sysLocation = sysLocation
        self.macAddress = macAddress
        self.vendor = vendor
        self.deviceType = deviceType
        self.foundAt = foundAt
    }
}

/// How a discovery sweep ended: the payload of its `JobResult`, JSON-encoded.
public struct DiscoveryJobSummary: Sendable, Codable, Equatable {
    /// Hosts the sweep covered.
    public var total: Int
    /// Hosts whose probing completed.
    public var scanned: Int
    /// Hosts that answered ICMP or SNMP (each reported as a ``DiscoveryFinding``).
    public var responded: Int
    /// Hosts whose SNMP system group was read.
    public var identified: Int
    /// Hosts that could not be probed properly.
    public var failed: Int
    /// How long the sweep ran, in seconds.
    public var durationSeconds: Double

    public init(total: Int, scanned: Int, responded: Int, identified: Int, failed: Int, durationSeconds: Double) {
        self.total = total
        self.scanned = scanned
        self.responded = responded
        self.identified = identified
        self.failed = failed
        self.durationSeconds = durationSeconds
    }

    /// The JSON payload of a `JobResult`.
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return Array(try encoder.encode(self))
    }

    /// Decodes a `JobResult` payload.
    public init(decoding bytes: [UInt8]) throws {
        self = try JSONDecoder().decode(Self.self, from: Data(bytes))
    }
}
