import Foundation

/// What the collector tells an agent to probe: the payload of a `Config` message, JSON-encoded
/// with sorted keys so equal content has an equal hash (the snapshot's version).
public struct AgentConfiguration: Sendable, Codable, Equatable {
    /// One device to ping.
    public struct Device: Sendable, Codable, Equatable {
        public let id: UUID
        public let name: String
        public let address: String

        public init(id: UUID, name: String, address: String) {
            self.id = id
            self.name = name
            self.address = address
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
