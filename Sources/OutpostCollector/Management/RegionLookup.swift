import Foundation
import Logging
import PostgresNIO

/// The regions of branches and devices, for a regional manager's reach.
struct RegionLookup: Sendable {
    let logger: Logger

    /// The region of the branch named `name`: `nil` for no branch or a branch without a region
    /// (only unlimited operators reach those). An unknown branch answers `nil` too; the store
    /// then refuses it naming the field.
    func region(ofBranch name: String?, on connection: PostgresConnection) async throws -> String? {
        guard let name else { return nil }
        let rows = try await connection.query("SELECT region FROM branches WHERE name = \(name)", logger: logger)
        for try await region in rows.decode(String?.self) { return region }
        return nil
    }

    /// The devices among `ids` whose branch is not in `regions` (or that have no branch).
    func devicesOutside(_ regions: Set<String>, among ids: [UUID], on connection: PostgresConnection) async throws
        -> [UUID]
    {
        let rows = try await connection.query(
            """
            SELECT d.id FROM standalone_devices d LEFT JOIN branches b ON b.id = d.branch_id
            WHERE d.id = ANY(\(ids)) AND (b.region IS NULL OR NOT b.region = ANY(\(Array(regions))))
            """, logger: logger)
        var outside: [UUID] = []
        for try await id in rows.decode(UUID.self) { outside.append(id) }
        return outside
    }
}
