import Foundation
import Logging
import PostgresNIO

/// The device inventory as operators manage it: list and search, create, change, move between
/// branches, delete, enable and disable. Every change writes its audit entry (entity `device`)
/// in its own transaction; agents hear of it through the configuration triggers of
/// `standalone_devices`.
public struct DeviceInventory: Sendable {
    let logger: Logger

    /// Creates an inventory logging to `logger`.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// The device with `id`, if any.
    public func device(id: UUID, on connection: PostgresConnection) async throws -> DeviceRecord? {
        let rows = try await connection.query(
            "SELECT \(unescaped: DeviceRecord.columns) FROM \(unescaped: DeviceRecord.from) WHERE d.id = \(id)",
            logger: logger)
        for try await row in rows { return try DeviceRecord(row: row) }
        return nil
    }

    /// Every device, or those of the branch named `branch`, by branch name then name.
    public func all(branch: String? = nil, on connection: PostgresConnection) async throws -> [DeviceRecord] {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: DeviceRecord.columns) FROM \(unescaped: DeviceRecord.from)
            WHERE \(branch)::text IS NULL OR b.name = \(branch)
            ORDER BY b.name NULLS FIRST, d.name, d.id
            """, logger: logger)
        var devices: [DeviceRecord] = []
        for try await row in rows { devices.append(try DeviceRecord(row: row)) }
        return devices
    }

    /// Adds a device.
    ///
    /// - Throws: ``InputError`` naming the first refused field (`branch` for an unknown branch).
    public func create(_ draft: DeviceDraft, by actor: AuditActor, on connection: PostgresConnection) async throws
        -> DeviceRecord
    {
        try await connection.transaction(logger: logger) { transaction in
            try await DeviceWriter(logger: logger, connection: transaction, actor: actor).create(draft)
        }
    }

    /// Changes the fields `patch` sets (moving the device when it sets `branch`); a patch that
    /// changes nothing writes nothing.
    ///
    /// - Throws: ``DeviceNotFoundError``, or ``InputError`` naming the first refused field.
    public func update(id: UUID, _ patch: DevicePatch, by actor: AuditActor, on connection: PostgresConnection)
        async throws -> DeviceRecord
    {
        try await connection.transaction(logger: logger) { transaction in
            try await DeviceWriter(logger: logger, connection: transaction, actor: actor).update(id: id, patch)
        }
    }

    /// Deletes the device (its items, credentials and open alerts go with it).
    ///
    /// - Throws: ``DeviceNotFoundError``.
    public func delete(id: UUID, by actor: AuditActor, on connection: PostgresConnection) async throws {
        try await connection.transaction(logger: logger) { transaction in
            try await DeviceWriter(logger: logger, connection: transaction, actor: actor).delete(id: id)
        }
    }

    /// Enables or disables the devices `ids`, with one audit entry per device whose state changed.
    ///
    /// - Returns: How many devices changed (those already in that state are left alone).
    /// - Throws: ``DeviceNotFoundError`` for an id of no device (nothing changes), or
    ///   ``InputError`` (`ids`) for more than ``maximumBulk`` ids.
    public func setEnabled(_ ids: [UUID], enabled: Bool, by actor: AuditActor, on connection: PostgresConnection)
        async throws -> Int
    {
        guard ids.count <= Self.maximumBulk else {
            throw InputError(
                field: "ids", reason: "at most \(Self.maximumBulk) devices at once, not \(ids.count)")
        }
        return try await connection.transaction(logger: logger) { transaction in
            try await DeviceWriter(logger: logger, connection: transaction, actor: actor).setEnabled(
                Array(Set(ids)), enabled: enabled)
        }
    }

    /// Applies `changes` in one transaction, each with its audit entry, then `summary` if given
    /// (e.g. an import's counts): all of them or, when one throws, none.
    ///
    /// - Returns: The devices as they are after each change, in order.
    public func apply(
        _ changes: [DeviceChange], summary: AuditEntry?, by actor: AuditActor, on connection: PostgresConnection
    ) async throws -> [DeviceRecord] {
        try await connection.transaction(logger: logger) { transaction in
            let writer = DeviceWriter(logger: logger, connection: transaction, actor: actor)
            var records: [DeviceRecord] = []
            for change in changes {
                switch change {
                case .create(let draft): records.append(try await writer.create(draft))
                case .update(let id, let patch): records.append(try await writer.update(id: id, patch))
                }
            }
            if let summary { try await AuditLog(logger: logger).append(summary, by: actor, on: transaction) }
            return records
        }
    }

    /// Most ids ``setEnabled(_:enabled:by:on:)`` takes at once.
    public static let maximumBulk = 10_000
}

/// One change of ``DeviceInventory/apply(_:summary:by:on:)``.
public enum DeviceChange: Sendable, Equatable {
    case create(DeviceDraft)
    case update(id: UUID, DevicePatch)
}
