import Foundation
import Logging
import PostgresNIO

/// One active LLDP/CDP neighbour of a device, as its device page lists it: seen by the
/// device's own walk, or (when the device's walk did not list it) by the neighbour's walk,
/// with the ports turned to the device's side.
public struct DeviceNeighbour: Sendable, Equatable {
    /// `lldp` or `cdp`.
    public let protocolName: String
    public let localPort: String?
    /// The known device it is, if any.
    public let deviceID: UUID?
    /// The neighbour's name: the known device's, else its system name or chassis id.
    public let name: String
    public let remotePort: String?
    public let managementAddress: String?
    public let lastSeen: Date
}

extension TopologyStore {
    /// The active neighbours of `device`, by local port: those its walks list, then known
    /// devices whose walks list it and its own walks do not.
    public func neighbours(of device: UUID, on connection: PostgresConnection) async throws -> [DeviceNeighbour] {
        let rows = try await connection.query(
            """
            SELECT t.connection_type, t.interface_name, t.target_device_id,
                   coalesce(d.name, t.remote_sysname, t.remote_chassis_id, t.target_ip), t.target_interface,
                   t.management_address, t.last_seen, 0 AS side, t.local_port_number
            FROM network_topology t LEFT JOIN standalone_devices d ON d.id = t.target_device_id
            WHERE t.source_device_id = \(device) AND t.is_active AND t.connection_type IN ('lldp', 'cdp')
            UNION ALL
            SELECT t.connection_type, t.target_interface, t.source_device_id, s.name, t.interface_name,
                   s.ip, t.last_seen, 1, NULL
            FROM network_topology t JOIN standalone_devices s ON s.id = t.source_device_id
            WHERE t.target_device_id = \(device) AND t.is_active AND t.connection_type IN ('lldp', 'cdp')
              AND NOT EXISTS (SELECT 1 FROM network_topology o WHERE o.source_device_id = \(device)
                              AND o.target_device_id = t.source_device_id AND o.is_active)
            ORDER BY side, local_port_number, 2, 4
            """, logger: logger)
        var neighbours: [DeviceNeighbour] = []
        for try await (kind, local, id, name, remote, address, seen, _, _) in rows.decode(
            (String, String?, UUID?, String?, String?, String?, Date, Int, Int?).self)
        {
            neighbours.append(
                DeviceNeighbour(
                    protocolName: kind, localPort: local, deviceID: id, name: name ?? "unknown", remotePort: remote,
                    managementAddress: address, lastSeen: seen))
        }
        return neighbours
    }
}
