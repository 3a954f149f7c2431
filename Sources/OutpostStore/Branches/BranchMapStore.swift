import Foundation
import Logging
import PostgresNIO

/// A branch where the console's map draws it: its own position, else its town's, with its
/// enabled devices counted by state.
public struct BranchPosition: Sendable, Equatable {
    /// `branches.id`, lower-case UUID text.
    public let id: String
    /// The unique short name.
    public let name: String
    /// The name shown to people.
    public let displayName: String
    /// The name in Georgian, if set.
    public let displayNameKa: String?
    /// Its region (`georgian_regions.name_en`), if recorded.
    public let region: String?
    /// The region's Georgian name, when the region is one of `georgian_regions`.
    public let regionKa: String?
    /// The town's English name, if set.
    public let city: String?
    /// The branch's latitude, else its town's; `nil` when neither is known.
    public let latitude: Double?
    /// The branch's longitude, else its town's.
    public let longitude: Double?
    /// Its enabled devices by state.
    public let devices: DeviceCounts
}

/// The positions of branches for the console's map: one query joining branches, their towns,
/// their regions' names and their devices' states (``DeviceState``'s rule).
public struct BranchMapStore: Sendable {
    let logger: Logger

    /// Creates a store logging to `logger`.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// Every branch by name (of the given regions when `regions` is not nil; then a branch in no
    /// region is left out, as a regional manager may not see it).
    public func positions(regions: Set<String>?, on connection: PostgresConnection) async throws -> [BranchPosition] {
        let regionList = regions.map { Array($0) }
        let rows = try await connection.query(
            """
            WITH device_states AS (
                SELECT d.branch_id, \(unescaped: DeviceState.sql) AS state
                FROM standalone_devices d WHERE d.enabled AND d.branch_id IS NOT NULL
            )
            SELECT b.id, b.name, b.display_name, b.display_name_ka, b.region, r.name_ka AS region_ka,
                   c.name_en AS city,
                   coalesce(b.latitude, c.latitude)::float8 AS latitude,
                   coalesce(b.longitude, c.longitude)::float8 AS longitude,
                   count(s.state) AS total,
                   count(*) FILTER (WHERE s.state = 'up') AS up,
                   count(*) FILTER (WHERE s.state = 'down') AS down,
                   count(*) FILTER (WHERE s.state = 'unknown') AS unknown
            FROM branches b
            LEFT JOIN georgian_cities c ON c.id = b.city_id
            LEFT JOIN georgian_regions r ON r.name_en = b.region
            LEFT JOIN device_states s ON s.branch_id = b.id
            WHERE \(regionList)::text[] IS NULL OR b.region = ANY(\(regionList)::text[])
            GROUP BY b.id, r.name_ka, c.name_en, c.latitude, c.longitude
            ORDER BY b.name
            """, logger: logger)
        var positions: [BranchPosition] = []
        for try await row in rows {
            let columns = row.makeRandomAccess()
            positions.append(
                BranchPosition(
                    id: try columns["id"].decode(UUID.self).uuidString.lowercased(),
                    name: try columns["name"].decode(String.self),
                    displayName: try columns["display_name"].decode(String.self),
                    displayNameKa: try columns["display_name_ka"].decode(String?.self),
                    region: try columns["region"].decode(String?.self),
                    regionKa: try columns["region_ka"].decode(String?.self),
                    city: try columns["city"].decode(String?.self),
                    latitude: try columns["latitude"].decode(Double?.self),
                    longitude: try columns["longitude"].decode(Double?.self),
                    devices: DeviceCounts(
                        total: try columns["total"].decode(Int.self), up: try columns["up"].decode(Int.self),
                        down: try columns["down"].decode(Int.self), unknown: try columns["unknown"].decode(Int.self))))
        }
        return positions
    }
}
