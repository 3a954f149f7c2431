import Foundation
import Logging
import PostgresNIO

/// Reads the LLDP/CDP topology of branches: the graph the API shows and the dependency trees
/// the alert engine suppresses by (`docs/topology.md`). Only active edges count.
public struct TopologyStore: Sendable {
    let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// The topology of `branch`, or `nil` when there is no such branch.
    public func graph(branch: UUID, on connection: PostgresConnection) async throws -> TopologyGraph? {
        var gateway: UUID??
        for try await id in try await connection.query(
            "SELECT gateway_device_id FROM branches WHERE id = \(branch)", logger: logger
        ).decode(UUID?.self) {
            gateway = .some(id)
        }
        guard let gateway else { return nil }
        var devices: [(UUID, String, String)] = []
        for try await row in try await connection.query(
            "SELECT id, name, ip FROM standalone_devices WHERE branch_id = \(branch) ORDER BY name, id", logger: logger
        ).decode((UUID, String, String).self) {
            devices.append(row)
        }
        let edges = try await activeEdges(branches: [branch], on: connection)
        let tree =
            gateway.map { root in
                DependencyTree(gateway: root, devices: Set(devices.map(\.0)), links: Self.links(of: edges))
            } ?? DependencyTree()
        var nodes = devices.map { id, name, ip in
            TopologyGraph.Node(
                id: "device:\(id.uuidString.lowercased())", deviceID: id, name: name, ip: ip,
                parentDeviceID: tree.parents[id])
        }
        var known = Set(nodes.map(\.id))
        let graphEdges = edges.map { edge in
            let target = Self.nodeID(device: edge.targetDeviceID, chassis: edge.remoteChassisID ?? edge.remoteSysName)
            if known.insert(target).inserted {
                nodes.append(
                    TopologyGraph.Node(
                        id: target, deviceID: edge.targetDeviceID,
                        name: edge.remoteSysName ?? edge.remoteChassisID ?? "unknown",
                        ip: edge.managementAddress, parentDeviceID: nil))
            }
            return TopologyGraph.Edge(
                id: edge.id, protocol: edge.protocolName,
                source: Self.nodeID(device: edge.sourceDeviceID, chassis: nil), target: target,
                sourceDeviceID: edge.sourceDeviceID, localPort: edge.localPort, localPortNumber: edge.localPortNumber,
                targetDeviceID: edge.targetDeviceID, remoteChassisID: edge.remoteChassisID,
                remotePort: edge.remotePort, remoteSysName: edge.remoteSysName,
                managementAddress: edge.managementAddress, firstSeen: edge.firstSeen, lastSeen: edge.lastSeen)
        }
        return TopologyGraph(branchID: branch, gatewayDeviceID: gateway, nodes: nodes, edges: graphEdges)
    }

    /// The dependency trees of `branches` (those with a gateway), merged.
    public func dependencies(branches: [UUID], on connection: PostgresConnection) async throws -> DependencyTree {
        guard !branches.isEmpty else { return DependencyTree() }
        var gateways: [UUID: UUID] = [:]
        var members: [UUID: Set<UUID>] = [:]
        for try await (device, branch, gateway) in try await connection.query(
            """
            SELECT d.id, b.id, b.gateway_device_id FROM branches b JOIN standalone_devices d ON d.branch_id = b.id
            WHERE b.id = ANY(\(branches)) AND b.gateway_device_id IS NOT NULL
            """, logger: logger
        ).decode((UUID, UUID, UUID).self) {
            gateways[branch] = gateway
            members[branch, default: []].insert(device)
        }
        let links = Self.links(of: try await activeEdges(branches: Array(gateways.keys), on: connection))
        var tree = DependencyTree()
        for (branch, gateway) in gateways {
            tree.merge(DependencyTree(gateway: gateway, devices: members[branch] ?? [], links: links))
        }
        return tree
    }

    private struct StoredEdge {
        var id: UUID
        var protocolName: String
        var sourceDeviceID: UUID?
        var localPort: String?
        var localPortNumber: Int?
        var targetDeviceID: UUID?
        var remoteChassisID: String?
        var remotePort: String?
        var remoteSysName: String?
        var managementAddress: String?
        var firstSeen: Date
        var lastSeen: Date
    }

    private func activeEdges(branches: [UUID], on connection: PostgresConnection) async throws -> [StoredEdge] {
        let rows = try await connection.query(
            """
            SELECT t.id, t.connection_type, t.source_device_id, t.interface_name, t.local_port_number,
                   t.target_device_id, t.remote_chassis_id, t.target_interface, t.remote_sysname,
                   t.management_address, t.first_discovered, t.last_seen
            FROM network_topology t JOIN standalone_devices d ON d.id = t.source_device_id
            WHERE d.branch_id = ANY(\(branches)) AND t.is_active AND t.connection_type IN ('lldp', 'cdp')
            ORDER BY t.source_device_id, t.local_port_number, t.id
            """, logger: logger)
        var edges: [StoredEdge] = []
        for try await row in rows.decode(
            (UUID, String, UUID?, String?, Int?, UUID?, String?, String?, String?, String?, Date, Date).self)
        {
            edges.append(
                StoredEdge(
                    id: row.0, protocolName: row.1, sourceDeviceID: row.2, localPort: row.3, localPortNumber: row.4,
                    targetDeviceID: row.5, remoteChassisID: row.6, remotePort: row.7, remoteSysName: row.8,
                    managementAddress: row.9, firstSeen: row.10, lastSeen: row.11))
        }
        return edges
    }

    private static func links(of edges: [StoredEdge]) -> [(UUID, UUID)] {
        edges.compactMap { edge in
            guard let source = edge.sourceDeviceID, let target = edge.targetDeviceID else { return nil }
            return (source, target)
        }
    }

    private static func nodeID(device: UUID?, chassis: String?) -> String {
        if let device { return "device:\(device.uuidString.lowercased())" }
        return "chassis:\(chassis ?? "unknown")"
    }
}
