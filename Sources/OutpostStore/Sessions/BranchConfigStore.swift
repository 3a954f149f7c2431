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

    /// The enabled devices of `branchID`, ordered by id (so equal content hashes equally).
    public func devices(ofBranch branchID: UUID, on connection: PostgresConnection) async throws -> [AgentConfiguration.Device] {
        let rows = try await connection.query("""
            SELECT id, name, ip FROM standalone_devices
            WHERE branch_id = \(branchID) AND enabled ORDER BY id
            """, logger: logger)
        var devices: [AgentConfiguration.Device] = []
        for try await (id, name, ip) in rows.decode((UUID, String, String).self) {
            devices.append(AgentConfiguration.Device(id: id, name: name, address: ip))
        }
        return devices
    }
}
