import Foundation
import Logging
import OutpostCore
import PostgresNIO

/// Reads what a branch's agent has to probe.
public struct BranchConfigStore: Sendable {
    let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// The enabled devices of `branchID`, ordered by id (so equal content hashes equally), with
    /// their enabled monitoring items; credentials are added by the caller, which holds the key.
    public func devices(ofBranch branchID: UUID, on connection: PostgresConnection) async throws -> [AgentConfiguration
        .Device]
    {
        let items = try await items(ofBranch: branchID, on: connection)
        let rows = try await connection.query(
            """
            SELECT id, name, ip FROM standalone_devices
            WHERE branch_id = \(branchID) AND enabled ORDER BY id
            """, logger: logger)
        var devices: [AgentConfiguration.Device] = []
        for try await (id, name, ip) in rows.decode((UUID, String, String).self) {
            devices.append(AgentConfiguration.Device(id: id, name: name, address: ip, items: items[id] ?? []))
        }
        return devices
    }

    /// The enabled items of the branch's enabled devices, by device, each list ordered by id.
    private func items(ofBranch branchID: UUID, on connection: PostgresConnection) async throws -> [UUID:
        [AgentConfiguration.Item]]
    {
        let rows = try await connection.query(
            """
            SELECT i.device_id, i.id, coalesce(i.name, i.oid_name), ltrim(i.oid, '.'), i.interval::bigint, i.value_type, i.is_table
            FROM monitoring_items i JOIN standalone_devices d ON d.id = i.device_id
            WHERE d.branch_id = \(branchID) AND d.enabled AND i.enabled
            ORDER BY i.device_id, i.id
            """, logger: logger)
        var items: [UUID: [AgentConfiguration.Item]] = [:]
        for try await (device, id, name, oid, interval, valueType, isTable) in rows.decode(
            (UUID, UUID, String, String, Int, String, Bool).self)
        {
            items[device, default: []].append(
                AgentConfiguration.Item(
                    id: id, name: name, oid: oid, intervalSeconds: interval, valueType: valueType, isTable: isTable))
        }
        return items
    }
}
