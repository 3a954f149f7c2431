import Foundation
import Logging
import OutpostCore
import PostgresNIO

/// The devices and monitoring items of one branch: what an agent of that branch may report on.
public struct BranchScope: Sendable, Equatable {
    /// The branch's devices, enabled or not (an agent may still deliver a spooled round of a
    /// device disabled since).
    public let devices: Set<DeviceID>
    /// The monitoring items of those devices, with the device each belongs to.
    public let itemDevices: [ItemID: DeviceID]

    public init(devices: Set<DeviceID>, itemDevices: [ItemID: DeviceID]) {
        self.devices = devices
        self.itemDevices = itemDevices
    }

    /// Whether a ping round names a device of the branch.
    public func admits(_ row: PingRoundResult) -> Bool {
        devices.contains(row.deviceID)
    }

    /// Whether a sample names an item of the branch, on the device that item belongs to.
    public func admits(_ sample: ItemSample) -> Bool {
        itemDevices[sample.itemID] == sample.deviceID
    }

    /// Reads the scope of `branch`.
    public static func load(branch: UUID, on connection: PostgresConnection, logger: Logger) async throws -> BranchScope
    {
        var devices: Set<DeviceID> = []
        let deviceRows = try await connection.query(
            "SELECT id FROM standalone_devices WHERE branch_id = \(branch)", logger: logger)
        for try await id in deviceRows.decode(UUID.self) { devices.insert(DeviceID(id)) }
        var items: [ItemID: DeviceID] = [:]
        let itemRows = try await connection.query(
            """
            SELECT m.id, m.device_id FROM monitoring_items m JOIN standalone_devices d ON d.id = m.device_id
            WHERE d.branch_id = \(branch)
            """, logger: logger)
        for try await (item, device) in itemRows.decode((UUID, UUID).self) { items[ItemID(item)] = DeviceID(device) }
        return BranchScope(devices: devices, itemDevices: items)
    }
}
