import Foundation

/// A `discovery_rules` row: what to sweep, how, when, where from, and what to do with new devices.
public struct DiscoveryRuleRecord: Sendable, Equatable {
    public var id: UUID
    /// Unique name, 1-200 characters.
    public var name: String
    public var description: String?
    /// Prefixes or addresses swept.
    public var ranges: [String]
    /// Prefixes or addresses left out.
    public var exclusions: [String]
    /// Five-field cron expression (UTC), `nil` for on-demand only.
    public var schedule: String?
    /// Whether responders are asked for their SNMP system group (false: ping sweep only).
    public var snmp: Bool
    /// Candidate `discovery_credentials`, tried in this order.
    public var credentialIDs: [UUID]
    /// The branch whose agent sweeps (any connected agent of it).
    public var branchID: UUID?
    /// The agent that sweeps; when set it wins over ``branchID``.
    public var agentID: UUID?
    /// Whether new devices are added to `standalone_devices` (with templates by vendor).
    public var autoImport: Bool
    /// UDP port of the devices' SNMP agents.
    public var snmpPort: Int
    public var enabled: Bool
    public var lastRun: Date?

    /// Creates a rule.
    public init(
        id: UUID = UUID(), name: String, description: String? = nil, ranges: [String], exclusions: [String] = [],
        schedule: String? = nil, snmp: Bool = true, credentialIDs: [UUID] = [], branchID: UUID? = nil,
        agentID: UUID? = nil, autoImport: Bool = false, snmpPort: Int = 161, enabled: Bool = true, lastRun: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.ranges = ranges
        self.exclusions = exclusions
        self.schedule = schedule
        self.snmp = snmp
        self.credentialIDs = credentialIDs
        self.branchID = branchID
        self.agentID = agentID
        self.autoImport = autoImport
        self.snmpPort = snmpPort
        self.enabled = enabled
        self.lastRun = lastRun
    }
}

/// A discovery operation was refused; nothing was changed.
public enum DiscoveryStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No rule has this id or name.
    case unknownRule(String)
    /// No job has this id.
    case unknownJob(String)
    /// A credential id the rule names does not exist.
    case unknownCredential(UUID)
    /// A field is out of range.
    case invalid(field: String, reason: String)
    /// The job already ended.
    case jobFinished(id: UUID, status: String)

    public var description: String {
        switch self {
        case .unknownRule(let rule): "no discovery rule with id or name \(rule.debugDescription)"
        case .unknownJob(let job): "no discovery job with id \(job.debugDescription)"
        case .unknownCredential(let id): "no discovery credential with id \(id.uuidString.lowercased())"
        case .invalid(let field, let reason): "\(field): \(reason)"
        case .jobFinished(let id, let status): "discovery job \(id.uuidString.lowercased()) already ended (\(status))"
        }
    }
}
