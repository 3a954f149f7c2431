import Foundation
import Logging
import PostgresNIO

/// A branch as read for a change: the record, plus what the record does not show (its own
/// coordinates, its town's id and region) and the values the audit log records.
struct StoredBranch: Sendable {
    let record: BranchRecord
    let geography: BranchGeography
    let ownLatitude: Double?
    let ownLongitude: Double?

    /// The audited fields, by API name (the branch's own coordinates, not its town's).
    var auditValues: [String: AuditValue] {
        [
            "name": .text(record.name), "display_name": .text(record.displayName),
            "display_name_ka": .optional(record.displayNameKa), "region": .optional(record.region),
            "city": .optional(record.city), "latitude": ownLatitude.map { .number($0) } ?? .null,
            "longitude": ownLongitude.map { .number($0) } ?? .null, "address": .optional(record.address),
            "branch_code": .optional(record.branchCode),
            "gateway_device_id": .optional(record.gatewayDeviceID?.uuidString.lowercased()),
            "is_active": .bool(record.isActive),
        ]
    }

    /// The branches matching every filter given, by name.
    static func fetch(
        id: UUID? = nil, name: String? = nil, regions: Set<String>? = nil, logger: Logger,
        on connection: PostgresConnection
    ) async throws -> [StoredBranch] {
        let regionList = regions.map { Array($0) }
        let rows = try await connection.query(
            """
            SELECT b.id, b.name, b.display_name, b.display_name_ka, b.region, b.city_id, c.name_en, cr.name_en,
                   b.latitude::float8, b.longitude::float8, c.latitude::float8, c.longitude::float8,
                   b.address, b.branch_code, b.gateway_device_id, g.name, b.is_active, b.device_count,
                   b.created_at, b.updated_at
            FROM branches b
            LEFT JOIN georgian_cities c ON c.id = b.city_id
            LEFT JOIN georgian_regions cr ON cr.id = c.region_id
            LEFT JOIN standalone_devices g ON g.id = b.gateway_device_id
            WHERE (\(id)::uuid IS NULL OR b.id = \(id))
              AND (\(name)::text IS NULL OR b.name = \(name))
              AND (\(regionList)::text[] IS NULL OR b.region = ANY(\(regionList)))
            ORDER BY b.name
            """, logger: logger)
        var branches: [StoredBranch] = []
        for try await (
            id, name, display, displayKa, region, cityID, city, cityRegion, latitude, longitude, cityLatitude,
            cityLongitude, address, code, gateway, gatewayName, active, devices, created, updated
        ) in rows.decode(
            (
                UUID, String, String, String?, String?, Int32?, String?, String?, Double?, Double?, Double?, Double?,
                String?, String?, UUID?, String?, Bool, Int, Date, Date?
            ).self)
        {
            let own = latitude != nil && longitude != nil
            let record = BranchRecord(
                id: id, name: name, displayName: display, displayNameKa: displayKa, region: region, city: city,
                latitude: own ? latitude : cityLatitude, longitude: own ? longitude : cityLongitude, address: address,
                branchCode: code, gatewayDeviceID: gateway, gatewayDeviceName: gatewayName, isActive: active,
                deviceCount: devices, createdAt: created, updatedAt: updated)
            branches.append(
                StoredBranch(
                    record: record,
                    geography: BranchGeography(region: region, cityID: cityID, cityName: city, cityRegion: cityRegion),
                    ownLatitude: latitude, ownLongitude: longitude))
        }
        return branches
    }
}

/// A branch's region and town, and the town's region (which the branch's must equal).
struct BranchGeography: Sendable, Equatable {
    var region: String?
    var cityID: Int32?
    var cityName: String?
    var cityRegion: String?
}
