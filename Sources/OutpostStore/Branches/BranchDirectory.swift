import Foundation
import Logging
import PostgresNIO

/// Branches as operators manage them: listed (per region), created, changed and deleted, each
/// change validated against the columns' domains and written to the audit log (entity `branch`)
/// in the same transaction.
public struct BranchDirectory: Sendable {
    let logger: Logger

    /// Creates a directory logging to `logger`.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// The branches by name: all of them (`regions` nil) or those of the given regions.
    public func list(regions: Set<String>?, on connection: PostgresConnection) async throws -> [BranchRecord] {
        try await StoredBranch.fetch(regions: regions, logger: logger, on: connection).map(\.record)
    }

    /// The branch with this id, if any.
    public func branch(id: UUID, on connection: PostgresConnection) async throws -> BranchRecord? {
        try await StoredBranch.fetch(id: id, logger: logger, on: connection).first?.record
    }

    /// The branch named `name`, if any.
    public func branch(name: String, on connection: PostgresConnection) async throws -> BranchRecord? {
        try await StoredBranch.fetch(name: name, logger: logger, on: connection).first?.record
    }

    /// Creates a branch.
    ///
    /// - Throws: ``InputError`` naming the field refused (including `name` when a branch
    ///   of that name exists).
    public func create(_ draft: BranchDraft, by actor: AuditActor, on connection: PostgresConnection) async throws
        -> BranchRecord
    {
        let displayName = draft.displayName ?? draft.name
        try Self.validateText(
            name: draft.name, displayName: displayName, displayNameKa: draft.displayNameKa, address: draft.address,
            branchCode: draft.branchCode)
        try Self.validateCoordinates(latitude: draft.latitude, longitude: draft.longitude)
        if draft.gatewayDeviceID != nil {
            throw InputError(
                field: "gateway_device_id", reason: "must be a device of this branch; a new branch has none")
        }
        return try await connection.transaction(logger: logger) { connection in
            let geography = try await resolve(
                region: draft.region.map { Optional($0) }, city: draft.city.map { Optional($0) },
                current: BranchGeography(), on: connection)
            let inserted = try await connection.query(
                """
                INSERT INTO branches (name, display_name, display_name_ka, region, city_id, latitude, longitude,
                                      address, branch_code, is_active)
                VALUES (\(draft.name), \(displayName), \(draft.displayNameKa), \(geography.region), \(geography.cityID),
                        \(draft.latitude)::float8::numeric(9,6), \(draft.longitude)::float8::numeric(9,6),
                        \(draft.address), \(draft.branchCode), \(draft.isActive))
                ON CONFLICT (name) DO NOTHING
                RETURNING id
                """, logger: logger)
            var created: UUID?
            for try await id in inserted.decode(UUID.self) { created = id }
            guard let created else {
                throw InputError(field: "name", reason: "a branch named \(draft.name) already exists")
            }
            let after = try await stored(created, on: connection)
            try await AuditLog(logger: logger).append(
                .diff(
                    action: "create", entity: "branch", entityID: created.uuidString.lowercased(), before: [:],
                    after: after.auditValues), by: actor, on: connection)
            return after.record
        }
    }

    /// Changes the fields `patch` sets; returns the branch as it is now.
    ///
    /// - Throws: ``BranchDirectoryError/notFound(_:)``, or ``InputError`` naming the field refused.
    public func update(id: UUID, _ patch: BranchPatch, by actor: AuditActor, on connection: PostgresConnection)
        async throws -> BranchRecord
    {
        try await connection.transaction(logger: logger) { connection in
            try await lock(id, on: connection)
            let before = try await stored(id, on: connection)
            let old = before.record
            let name = patch.name ?? old.name
            let displayName = patch.displayName ?? old.displayName
            let displayNameKa = patch.displayNameKa ?? old.displayNameKa
            let address = patch.address ?? old.address
            let branchCode = patch.branchCode ?? old.branchCode
            let latitude = patch.latitude ?? before.ownLatitude
            let longitude = patch.longitude ?? before.ownLongitude
            let gateway = patch.gatewayDeviceID ?? old.gatewayDeviceID
            let isActive = patch.isActive ?? old.isActive
            try Self.validateText(
                name: name, displayName: displayName, displayNameKa: displayNameKa, address: address,
                branchCode: branchCode)
            try Self.validateCoordinates(latitude: latitude, longitude: longitude)
            let geography = try await resolve(
                region: patch.region, city: patch.city, current: before.geography, on: connection)
            if name != old.name, try await !StoredBranch.fetch(name: name, logger: logger, on: connection).isEmpty {
                throw InputError(field: "name", reason: "a branch named \(name) already exists")
            }
            if let gateway, gateway != old.gatewayDeviceID {
                try await checkGateway(gateway, branch: id, on: connection)
            }
            try await connection.query(
                """
                UPDATE branches SET name = \(name), display_name = \(displayName), display_name_ka = \(displayNameKa),
                       region = \(geography.region), city_id = \(geography.cityID),
                       latitude = \(latitude)::float8::numeric(9,6), longitude = \(longitude)::float8::numeric(9,6),
                       address = \(address), branch_code = \(branchCode), gateway_device_id = \(gateway),
                       is_active = \(isActive), updated_at = now()
                WHERE id = \(id)
                  AND ROW(name, display_name, display_name_ka, region, city_id, latitude, longitude, address,
                          branch_code, gateway_device_id, is_active)
                      IS DISTINCT FROM
                      ROW(\(name)::text, \(displayName)::text, \(displayNameKa)::text, \(geography.region)::text,
                          \(geography.cityID)::integer, \(latitude)::float8::numeric(9,6),
                          \(longitude)::float8::numeric(9,6), \(address)::text, \(branchCode)::text,
                          \(gateway)::uuid, \(isActive)::boolean)
                """, logger: logger)
            let after = try await stored(id, on: connection)
            let entry = AuditEntry.diff(
                action: "update", entity: "branch", entityID: id.uuidString.lowercased(), before: before.auditValues,
                after: after.auditValues)
            if !entry.changes.isEmpty { try await AuditLog(logger: logger).append(entry, by: actor, on: connection) }
            return after.record
        }
    }

    /// Deletes a branch; its devices stay, without branch, and its rules and enrolment tokens go.
    ///
    /// - Throws: ``BranchDirectoryError/notFound(_:)``, or ``BranchDirectoryError/agentsEnrolled(branch:count:)``
    ///   while agents are enrolled for it.
    public func delete(id: UUID, by actor: AuditActor, on connection: PostgresConnection) async throws {
        try await connection.transaction(logger: logger) { connection in
            try await lock(id, on: connection)
            let before = try await stored(id, on: connection)
            let agents = try await connection.query(
                "SELECT count(*) FROM agents WHERE branch_id = \(id)", logger: logger)
            for try await count in agents.decode(Int.self) where count > 0 {
                throw BranchDirectoryError.agentsEnrolled(branch: before.record.name, count: count)
            }
            try await connection.query("DELETE FROM branches WHERE id = \(id)", logger: logger)
            try await AuditLog(logger: logger).append(
                .diff(
                    action: "delete", entity: "branch", entityID: id.uuidString.lowercased(),
                    before: before.auditValues, after: [:]), by: actor, on: connection)
        }
    }

    /// Locks the branch's row for the rest of the transaction.
    private func lock(_ id: UUID, on connection: PostgresConnection) async throws {
        let rows = try await connection.query("SELECT id FROM branches WHERE id = \(id) FOR UPDATE", logger: logger)
        for try await _ in rows.decode(UUID.self) { return }
        throw BranchDirectoryError.notFound(id)
    }

    /// The branch, which must exist.
    private func stored(_ id: UUID, on connection: PostgresConnection) async throws -> StoredBranch {
        guard let branch = try await StoredBranch.fetch(id: id, logger: logger, on: connection).first else {
            throw BranchDirectoryError.notFound(id)
        }
        return branch
    }
}
