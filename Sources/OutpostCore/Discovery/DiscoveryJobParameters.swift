import Foundation

/// What a discovery job asks the agent to sweep: the parameters of a `Job` of kind discovery,
/// JSON-encoded. Built by the collector from a `discovery_rules` row with its candidate
/// credentials opened; it travels only to the agent that runs the sweep.
public struct DiscoveryJobParameters: Sendable, Codable, Equatable {
    /// Prefixes or addresses to sweep (`10.0.0.0/24`, `10.0.1.7`).
    public var include: [String]
    /// Prefixes or addresses left out.
    public var exclude: [String]
    /// Whether responders (or, with ``snmpAllHosts``, every host) are asked for their SNMP system group.
    public var snmp: Bool
    /// Whether hosts silent to ICMP are asked over SNMP too.
    public var snmpAllHosts: Bool
    /// Candidate credentials, tried in order.
    public var credentials: [SNMPCredential]
    /// SNMP port of the devices.
    public var snmpPort: UInt16
    /// Hosts probed at once.
    public var concurrency: Int
    /// How long each echo request and SNMP request waits, in milliseconds.
    public var timeoutMilliseconds: Int

    /// Creates parameters.
    public init(
        include: [String], exclude: [String] = [], snmp: Bool = true, snmpAllHosts: Bool = false,
        credentials: [SNMPCredential] = [], snmpPort: UInt16 = 161, concurrency: Int = 256,
        timeoutMilliseconds: Int = 1_000
    ) {
        self.include = include
        self.exclude = exclude
        self.snmp = snmp
        self.snmpAllHosts = snmpAllHosts
        self.credentials = credentials
        self.snmpPort = snmpPort
        self.concurrency = concurrency
        self.timeoutMilliseconds = timeoutMilliseconds
    }

    /// The JSON bytes of a `Job`'s parameters.
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return Array(try encoder.encode(self))
    }

    /// Decodes a `Job`'s parameters.
    public init(decoding bytes: [UInt8]) throws {
        self = try JSONDecoder().decode(Self.self, from: Data(bytes))
    }
}
