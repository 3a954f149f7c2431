import Foundation

/// A branch's LLDP/CDP topology: its devices and neighbours (nodes) and the active edges.
public struct TopologyGraph: Sendable, Equatable, Encodable {
    /// A device of the branch, or a neighbour no known device matched (`deviceID` nil).
    public struct Node: Sendable, Equatable, Encodable {
        /// `device:<uuid>` for a known device, `chassis:<remote chassis id>` for another neighbour.
        public let id: String
        public let deviceID: UUID?
        public let name: String
        public let ip: String?
        /// The device's parent in the dependency tree (the neighbour nearer the gateway).
        public let parentDeviceID: UUID?
    }

    /// One neighbour seen on a local port of a device.
    public struct Edge: Sendable, Equatable, Encodable {
        public let id: UUID
        /// `lldp` or `cdp`.
        public let `protocol`: String
        /// The node ids of the two ends.
        public let source: String
        public let target: String
        public let sourceDeviceID: UUID?
        public let localPort: String?
        public let localPortNumber: Int?
        public let targetDeviceID: UUID?
        public let remoteChassisID: String?
        public let remotePort: String?
        public let remoteSysName: String?
        public let managementAddress: String?
        public let firstSeen: Date
        public let lastSeen: Date
    }

    public let branchID: UUID
    /// The branch's edge router (`branches.gateway_device_id`): the root of the dependency tree.
    public let gatewayDeviceID: UUID?
    public let nodes: [Node]
    public let edges: [Edge]
}
