import Foundation

/// What the collector tells an agent to probe: the payload of a `Config` message, JSON-encoded
/// with sorted keys so equal content has an equal hash (the snapshot's version).
public struct AgentConfiguration: Sendable, Codable, Equatable {
    /// One device to probe: pinged, and polled over SNMP for its items when it has any.
    public struct Device: Sendable, Codable, Equatable {
        public let id: UUID
        public let name: String
        public let address: String
        /// Enabled monitoring items, ordered by id. Empty in snapshots from collectors that
        /// predate items (decoded as empty when absent).
        public var items: [Item]
        /// How to reach the device's SNMP agent; `nil` when it has no credentials (or the
        /// snapshot predates credentials).
        public var snmp: SNMPCredential?

        public init(id: UUID, name: String, address: String, items: [Item] = [], snmp: SNMPCredential? = nil) {
            self.id = id
            self.name = name
            self.address = address
            self.items = items
            self.snmp = snmp
        }

        private enum CodingKeys: String, CodingKey {
            case id, name, address, items, snmp
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(UUID.self, forKey: .id)
            name = try container.decode(String.self, forKey: .name)
            address = try container.decode(String.self, forKey: .address)
            items = try container.decodeIfPresent([Item].self, forKey: .items) ?? []
            snmp = try container.decodeIfPresent(SNMPCredential.self, forKey: .snmp)
        }
    }

    /// One OID polled on a device (`monitoring_items`).
    public struct Item: Sendable, Codable, Equatable {
        /// `monitoring_items.id`: the item samples refer to.
        public let id: UUID
        /// The item's key (its template name, or the MIB object name).
        public let name: String
        /// Numeric OID without a leading dot.
        public let oid: String
        /// Seconds between polls.
        public let intervalSeconds: Int
        /// `integer`, `float`, `string`, `counter32`, `counter64`, `gauge32`, `timeticks`,
        /// `octetstring`, `oid` or `ipaddress`.
        public let valueType: String
        /// Whether `oid` is a table column to walk rather than one instance to get.
        public let isTable: Bool

        public init(id: UUID, name: String, oid: String, intervalSeconds: Int, valueType: String, isTable: Bool) {
            self.id = id
            self.name = name
            self.oid = oid
            self.intervalSeconds = intervalSeconds
            self.valueType = valueType
            self.isTable = isTable
        }
    }

    /// Devices of the agent's branch that are enabled, ordered by id.
    public var devices: [Device]
    /// Seconds between ping rounds of one device.
    public var pingIntervalSeconds: Double
    /// Echo requests per round.
    public var pingPackets: Int

    public init(devices: [Device], pingIntervalSeconds: Double = 10, pingPackets: Int = 3) {
        self.devices = devices
        self.pingIntervalSeconds = pingIntervalSeconds
        self.pingPackets = pingPackets
    }

    /// The canonical JSON bytes.
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(self))
    }

    /// Decodes canonical JSON bytes.
    public init(encoded bytes: [UInt8]) throws {
        self = try JSONDecoder().decode(AgentConfiguration.self, from: Data(bytes))
    }
}
