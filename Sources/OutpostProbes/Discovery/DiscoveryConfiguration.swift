/// How a sweep probes: ICMP settings, which hosts get SNMP, candidate credentials, and limits.
public struct DiscoveryConfiguration: Sendable, Hashable {
    /// Which hosts are asked for their SNMP system group.
    public enum SNMPProbing: Sendable, Hashable {
        /// No SNMP: a ping sweep only.
        case disabled
        /// Hosts that answered ICMP.
        case respondersOnly
        /// Every host, also those that stay silent to ICMP but may answer SNMP.
        case allHosts
    }

    /// Hosts probed at once, 1...4,096 (default 256). The ICMP engine's global send-rate
    /// limit still applies on top of this.
    public var concurrency: Int
    /// Echo requests sent again to a host that has not answered the previous one in time,
    /// 0...10 (default 0: one probe per host). Hosts that answer get no further request.
    public var icmpRetries: Int
    /// How long each echo request waits for its reply, 1 ms...60 s (default 1 s).
    public var icmpTimeout: Duration
    /// Which hosts get SNMP (default ``SNMPProbing/respondersOnly``).
    public var snmpProbing: SNMPProbing
    /// Candidate credentials, tried in order until one answers; the host records the index of the one that did.
    public var credentials: [SNMPSecurity]
    /// The agents' UDP port (default 161).
    public var snmpPort: UInt16
    /// How long each SNMP request waits per attempt (default 1 s).
    public var snmpTimeout: Duration
    /// SNMP retries per credential, 0...10 (default 0).
    public var snmpRetries: Int
    /// Whether MAC addresses are looked up in the agent host's ARP table (default true).
    public var readNeighbourTable: Bool
    /// Least time between two progress events (default 500 ms); the first and last are always sent.
    public var progressInterval: Duration

    /// Accepted range of ``concurrency``.
    public static let concurrencyRange = 1...4_096

    /// Creates a configuration; ``validate()`` checks it.
    public init(
        concurrency: Int = 256, icmpRetries: Int = 0, icmpTimeout: Duration = .seconds(1),
        snmpProbing: SNMPProbing = .respondersOnly, credentials: [SNMPSecurity] = [], snmpPort: UInt16 = 161,
        snmpTimeout: Duration = .seconds(1), snmpRetries: Int = 0, readNeighbourTable: Bool = true,
        progressInterval: Duration = .milliseconds(500)
    ) {
        self.concurrency = concurrency
        self.icmpRetries = icmpRetries
        self.icmpTimeout = icmpTimeout
        self.snmpProbing = snmpProbing
        self.credentials = credentials
        self.snmpPort = snmpPort
        self.snmpTimeout = snmpTimeout
        self.snmpRetries = snmpRetries
        self.readNeighbourTable = readNeighbourTable
        self.progressInterval = progressInterval
    }

    /// The one-request ping round of each attempt, or the reason the settings are refused.
    func pingConfiguration() throws(DiscoveryConfigurationError) -> PingConfiguration {
        guard Self.concurrencyRange.contains(concurrency) else {
            throw DiscoveryConfigurationError(
                description: "concurrency \(concurrency) outside \(Self.concurrencyRange)")
        }
        guard (0...10).contains(icmpRetries) else {
            throw DiscoveryConfigurationError(description: "ICMP retries \(icmpRetries) outside 0...10")
        }
        guard progressInterval >= .zero else {
            throw DiscoveryConfigurationError(description: "progress interval must not be negative")
        }
        if snmpProbing != .disabled {
            guard !credentials.isEmpty else {
                throw DiscoveryConfigurationError(description: "SNMP probing needs at least one candidate credential")
            }
            for (index, credential) in credentials.enumerated() {
                do {
                    try snmpTarget(host: "127.0.0.1", credential: credential).validate()
                } catch {
                    throw DiscoveryConfigurationError(description: "credential \(index): \(error)")
                }
            }
        }
        do {
            return try PingConfiguration(
                packetsPerRound: 1, packetInterval: .zero, timeout: icmpTimeout, roundInterval: icmpTimeout)
        } catch {
            throw DiscoveryConfigurationError(description: "ICMP: \(error)")
        }
    }

    /// The SNMP target for one host and credential.
    func snmpTarget(host: String, credential: SNMPSecurity) -> SNMPTarget {
        SNMPTarget(host: host, port: snmpPort, security: credential, timeout: snmpTimeout, retries: snmpRetries)
    }
}

/// Why a ``DiscoveryConfiguration`` was refused.
public struct DiscoveryConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, naming the setting (never a credential's secret).
    public var description: String
}
