import Foundation
import PostgresNIO

/// Rows most tests need in a migrated database: branches and devices.
public enum Fixture {
    /// Inserts a branch named `name` (shown as `displayName`, `name` when omitted); returns its id.
    @discardableResult
    public static func branch(
        _ name: String, displayName: String? = nil, id: UUID = UUID(), on db: PostgresConnection
    ) async throws -> UUID {
        try await db.query(
            "INSERT INTO branches (id, name, display_name) VALUES (\(id), \(name), \(displayName ?? name))",
            logger: TestDatabase.logger)
        return id
    }

    /// Registers agent `id` of `branch` with a placeholder key and a certificate `serial` valid
    /// 30 days: what ingest checks of a sender.
    public static func agent(_ id: UUID, serial: String, branch: UUID, on db: PostgresConnection) async throws {
        try await db.query(
            """
            INSERT INTO agents (id, branch_id, public_key, cert_serial, cert_not_after)
            VALUES (\(id), \(branch), '\\x00'::bytea, \(serial), now() + interval '30 days')
            """, logger: TestDatabase.logger)
    }

    /// Inserts a standalone device at `ip`, in `branch` when given; returns its id.
    @discardableResult
    public static func device(
        _ name: String, ip: String, branch: UUID? = nil, vendor: String? = nil, deviceType: String? = nil,
        id: UUID = UUID(), on db: PostgresConnection
    ) async throws -> UUID {
        try await db.query(
            """
            INSERT INTO standalone_devices (id, name, ip, branch_id, vendor, device_type)
            VALUES (\(id), \(name), \(ip), \(branch), \(vendor), \(deviceType))
            """, logger: TestDatabase.logger)
        return id
    }
}
