import PostgresNIO

extension DeviceInventory {
    /// The distinct `device_type`s of the devices in `regions` (every device when `nil`), sorted.
    public func deviceTypes(regions: Set<String>?, on connection: PostgresConnection) async throws -> [String] {
        let regionList = regions.map { Array($0) }
        let rows = try await connection.query(
            """
            SELECT DISTINCT d.device_type FROM standalone_devices d LEFT JOIN branches b ON b.id = d.branch_id
            WHERE d.device_type IS NOT NULL
              AND (\(regionList)::text[] IS NULL OR b.region = ANY(\(regionList)::text[]))
            ORDER BY 1
            """, logger: logger)
        return try await rows.decode(String.self).reduce(into: []) { $0.append($1) }
    }
}
