import Foundation
import PostgresNIO

/// How fresh the stored probe results are: the overview's measure of ingest health.
public struct ResultFreshness: Sendable, Equatable {
    /// When the newest round of any enabled device was stored; `nil` when none ever was.
    public let newestProbe: Date?
    /// Enabled devices with a round in the last five minutes.
    public let devicesFresh: Int
    /// Enabled devices.
    public let devicesEnabled: Int
}

extension StatusStore {
    /// The freshness of the enabled devices' results, of the branches in `regions` when given.
    public func freshness(regions: Set<String>?, on connection: PostgresConnection) async throws -> ResultFreshness {
        let regionList = regions.map { Array($0) }
        let rows = try await connection.query(
            """
            SELECT max(d.last_probe_at) AS newest,
                   count(*) FILTER (WHERE d.last_probe_at > now() - interval '5 minutes') AS fresh,
                   count(*) AS enabled
            FROM standalone_devices d LEFT JOIN branches b ON b.id = d.branch_id
            WHERE d.enabled AND (\(regionList)::text[] IS NULL OR b.region = ANY(\(regionList)::text[]))
            """, logger: logger)
        for try await (newest, fresh, enabled) in rows.decode((Date?, Int, Int).self) {
            return ResultFreshness(newestProbe: newest, devicesFresh: fresh, devicesEnabled: enabled)
        }
        return ResultFreshness(newestProbe: nil, devicesFresh: 0, devicesEnabled: 0)
    }
}
