import Foundation
import Logging
import PostgresNIO

/// Encrypted SNMP credentials in `snmp_credentials` and `discovery_credentials`. This type never
/// sees plaintext: callers seal and open values with the master key.
public struct CredentialStore: Sendable {
    private let logger: Logger

    /// Creates a store logging to `logger`.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// The device's id for an id or a name given on the command line.
    public func device(_ specification: String, on connection: PostgresConnection) async throws -> UUID {
        try await DeviceLookup(logger: logger).device(specification, on: connection)
    }

    /// Makes `record` the device's only SNMP credential (earlier rows of the device are deleted),
    /// in one transaction with its audit entry (secrets recorded only as set).
    public func replaceSNMPCredential(
        _ record: SNMPCredentialRecord, by actor: AuditActor, on connection: PostgresConnection
    ) async throws {
        try await connection.transaction(logger: logger) { connection in
            let before = try await self.snmpCredential(ofDevice: record.deviceID, on: connection)
            try await connection.query(
                "DELETE FROM snmp_credentials WHERE device_id = \(record.deviceID)", logger: logger)
            try await connection.query(
                """
                INSERT INTO snmp_credentials (id, device_id, version, community_encrypted, username, auth_protocol,
                                              auth_key_encrypted, priv_protocol, priv_key_encrypted, security_level)
                VALUES (\(record.id), \(record.deviceID), \(record.version), \(record.community), \(record.username),
                        \(record.authProtocol), \(record.authKey), \(record.privProtocol), \(record.privKey), \(record.securityLevel))
                """, logger: logger)
            let after = SNMPCredentialSummary(record)
            var entry = AuditEntry.diff(
                action: before == nil ? "create" : "update", entity: SNMPCredentialSummary.auditEntity,
                entityID: record.deviceID.uuidString.lowercased(), before: before?.auditFields ?? [:],
                after: after.auditFields)
            // A replaced secret is a change even though both sides are masked.
            for (field, isSet) in [
                ("community", record.community != nil), ("auth_key", record.authKey != nil),
                ("priv_key", record.privKey != nil),
            ] where isSet {
                entry.changes[field] = AuditEntry.Change(before: before?.auditFields[field], after: .secret)
            }
            try await AuditLog(logger: logger).append(entry, by: actor, on: connection)
        }
    }

    /// What is known of the device's SNMP credential without its secrets, or `nil` when it has none.
    public func snmpCredential(ofDevice device: UUID, on connection: PostgresConnection) async throws
        -> SNMPCredentialSummary?
    {
        let rows = try await connection.query(
            """
            SELECT version, username, auth_protocol, priv_protocol, security_level, community_encrypted IS NOT NULL,
                   auth_key_encrypted IS NOT NULL, priv_key_encrypted IS NOT NULL
            FROM snmp_credentials WHERE device_id = \(device)
            ORDER BY coalesce(updated_at, created_at) DESC, id LIMIT 1
            """, logger: logger)
        for try await (version, user, auth, priv, level, community, authKey, privKey) in rows.decode(
            (String, String?, String?, String?, String?, Bool, Bool, Bool).self)
        {
            return SNMPCredentialSummary(
                deviceID: device, version: version, username: user, authProtocol: auth, privProtocol: priv,
                securityLevel: level, hasCommunity: community, hasAuthKey: authKey, hasPrivKey: privKey)
        }
        return nil
    }

    /// Deletes the device's SNMP credentials with an audit entry; `false` when it had none.
    public func deleteSNMPCredential(ofDevice device: UUID, by actor: AuditActor, on connection: PostgresConnection)
        async throws -> Bool
    {
        try await connection.transaction(logger: logger) { connection in
            guard let before = try await self.snmpCredential(ofDevice: device, on: connection) else { return false }
            try await connection.query("DELETE FROM snmp_credentials WHERE device_id = \(device)", logger: logger)
            try await AuditLog(logger: logger).append(
                .diff(
                    action: "delete", entity: SNMPCredentialSummary.auditEntity,
                    entityID: device.uuidString.lowercased(), before: before.auditFields, after: [:]),
                by: actor, on: connection)
            return true
        }
    }

    /// The newest SNMP credential of each enabled device of `branchID`, sealed.
    public func snmpCredentials(ofBranch branchID: UUID, on connection: PostgresConnection) async throws
        -> [SNMPCredentialRecord]
    {
        let rows = try await connection.query(
            """
            SELECT DISTINCT ON (c.device_id) c.id, c.device_id, c.version, c.community_encrypted, c.username,
                   c.auth_protocol, c.auth_key_encrypted, c.priv_protocol, c.priv_key_encrypted
            FROM snmp_credentials c JOIN standalone_devices d ON d.id = c.device_id
            WHERE d.branch_id = \(branchID) AND d.enabled
            ORDER BY c.device_id, coalesce(c.updated_at, c.created_at) DESC, c.id
            """, logger: logger)
        var records: [SNMPCredentialRecord] = []
        for try await (id, device, version, community, username, authProtocol, authKey, privProtocol, privKey)
            in rows.decode((UUID, UUID, String, String?, String?, String?, String?, String?, String?).self)
        {
            records.append(
                SNMPCredentialRecord(
                    id: id, deviceID: device, version: version, community: community, username: username,
                    authProtocol: authProtocol, authKey: authKey, privProtocol: privProtocol, privKey: privKey))
        }
        return records
    }

    /// Every sealed value in both credential tables.
    public func sealedValues(on connection: PostgresConnection) async throws -> [SealedValue] {
        try await sealedValues(locking: false, on: connection)
    }

    /// Re-seals every credential in one transaction: rows are locked, `reseal` maps each sealed
    /// value to its replacement (or `nil` to leave it), changed values are written. If `reseal`
    /// throws, nothing is changed.
    ///
    /// - Returns: How many values were rewritten and how many were left as they were.
    public func resealAll(
        by actor: AuditActor, on connection: PostgresConnection, _ reseal: (SealedValue) throws -> String?
    ) async throws -> (rewritten: Int, unchanged: Int) {
        try await connection.transaction(logger: logger) { connection in
            var rewritten = 0
            var unchanged = 0
            for value in try await self.sealedValues(locking: true, on: connection) {
                guard let replacement = try reseal(value) else {
                    unchanged += 1
                    continue
                }
                // Column names come from CredentialField.Table, never from input.
                try await connection.query(
                    """
                    UPDATE \(unescaped: value.field.table.rawValue) SET \(unescaped: value.field.column) = \(replacement)
                    WHERE id = \(value.field.rowID)
                    """, logger: logger)
                rewritten += 1
            }
            if rewritten > 0 {
                try await AuditLog(logger: logger).append(
                    AuditEntry(
                        action: "reseal", entity: "credentials", entityID: nil,
                        changes: ["values_resealed": .init(before: nil, after: .integer(Int64(rewritten)))]),
                    by: actor, on: connection)
            }
            return (rewritten, unchanged)
        }
    }

    private func sealedValues(locking: Bool, on connection: PostgresConnection) async throws -> [SealedValue] {
        var values: [SealedValue] = []
        for table in CredentialField.Table.allCases {
            let device = table == .snmpCredentials ? "device_id" : "NULL::uuid"
            // One row per (row, column) with a value; column names come from the enum, never from input.
            let unpivot = table.encryptedColumns.map { "('\($0)', \($0))" }.joined(separator: ", ")
            let sql = """
                SELECT t.id, \(device), v.column_name, v.sealed
                FROM \(table.rawValue) t CROSS JOIN LATERAL (VALUES \(unpivot)) AS v(column_name, sealed)
                WHERE v.sealed IS NOT NULL ORDER BY t.id, v.column_name\(locking ? " FOR UPDATE OF t" : "")
                """
            let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
            for try await (id, deviceID, column, sealed) in rows.decode((UUID, UUID?, String, String).self) {
                values.append(
                    SealedValue(
                        field: CredentialField(table: table, column: column, rowID: id, deviceID: deviceID),
                        sealed: sealed))
            }
        }
        return values
    }
}
