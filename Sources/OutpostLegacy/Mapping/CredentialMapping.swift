import Crypto
import Foundation
import OutpostCore
import OutpostPKI
import OutpostStore
import PostgresNIO

/// `snmp_credentials` → `snmp_credentials`: secrets opened with the legacy's Fernet keys (or
/// taken as the plaintext a legacy script stored), checked by `SNMPCredentialInput.resolve()`
/// and sealed under Outpost's master key for the same row id and device.
enum CredentialMapping {
    static let columns = [
        "id", "device_id", "version", "community_encrypted", "username", "auth_protocol", "auth_key_encrypted",
        "priv_protocol", "priv_key_encrypted", "security_level", "created_at", "updated_at",
    ]
    static let secretColumns = ["community_encrypted", "auth_key_encrypted", "priv_key_encrypted"]
    static let spec = TableSpec(
        legacy: "snmp_credentials", outpost: "snmp_credentials", key: "id",
        columns: [
            ("device_id", .uuid), ("version", .text), ("username", .text), ("auth_protocol", .text),
            ("priv_protocol", .text), ("security_level", .text), ("created_at", .timestamp), ("updated_at", .timestamp),
        ])
    static let timeZones: [(String, LegacyTimeZone)] = [
        ("snmp_credentials.created_at", .utc), ("snmp_credentials.updated_at", .utc),
    ]

    /// A credential ready to seal, with how each secret was opened.
    struct Opened {
        let id: UUID
        let device: UUID
        let credential: SNMPCredential
        let securityLevel: String?
        let created: Date
        let updated: Date?
        let how: [LegacySecretOpener.Opened]
    }

    /// Opens and checks one row.
    static func open(_ row: LegacyRow, context: LegacyImportContext, opener: LegacySecretOpener) throws -> Opened {
        guard let id = try row.uuid("id") else { throw LegacyValueError(column: "id", reason: "is NULL") }
        guard let device = try row.uuid("device_id") else {
            throw LegacyValueError(column: "device_id", reason: "is NULL")
        }
        guard context.devices[device] != nil else {
            throw LegacyValueError(
                column: "device_id", reason: "device \(device.uuidString.lowercased()) does not exist (or was refused)")
        }
        var version = try row.required("version").trimmingCharacters(in: .whitespaces).lowercased()
        if ["2c", "2", "v2"].contains(version) { version = "v2c" }
        if version == "1" { version = "v1" }
        if version == "3" { version = "v3" }
        var how: [LegacySecretOpener.Opened] = []
        func secret(_ column: String) throws -> String? {
            guard let opened = try opener.open(row.text(column)) else { return nil }
            how.append(opened.how)
            return opened.text
        }
        let community = try secret("community_encrypted")
        if version != "v3", community?.isEmpty ?? true {
            throw LegacyValueError(column: "community_encrypted", reason: "the community is empty")
        }
        let input = SNMPCredentialInput(
            version: version, community: version == "v3" ? nil : community,
            user: version == "v3" ? row.text("username") : nil,
            authProtocol: version == "v3" ? row.text("auth_protocol")?.uppercased() : nil,
            authKey: version == "v3" ? try secret("auth_key_encrypted") : nil,
            privProtocol: version == "v3" ? row.text("priv_protocol")?.uppercased() : nil,
            privKey: version == "v3" ? try secret("priv_key_encrypted") : nil)
        let credential = try input.resolve()
        let level: String? =
            credential.version != .v3
            ? nil : credential.privKey != nil ? "authPriv" : credential.authKey != nil ? "authNoPriv" : "noAuthNoPriv"
        return Opened(
            id: id, device: device, credential: credential, securityLevel: level,
            created: try row.timestamp("created_at", .utc) ?? Date(timeIntervalSince1970: 0),
            updated: try row.timestamp("updated_at", .utc), how: how)
    }

    /// The canonical fields (secrets are verified apart, by opening them).
    static func canonical(_ opened: Opened) -> CanonicalRow {
        func value(_ text: String?) -> String { (text.map(CanonicalValue.text) ?? .null).printed }
        return CanonicalRow([
            ("device_id", CanonicalValue.uuid(opened.device).printed),
            ("version", value(opened.credential.version.rawValue)), ("username", value(opened.credential.user)),
            ("auth_protocol", value(opened.credential.authProtocol)),
            ("priv_protocol", value(opened.credential.privProtocol)), ("security_level", value(opened.securityLevel)),
            ("created_at", CanonicalValue.timestamp(opened.created).printed),
            ("updated_at", (opened.updated.map(CanonicalValue.timestamp) ?? .null).printed),
        ])
    }

    /// The write: nothing when `existing` (the row as Outpost has it, opened) already equals
    /// the credential, else the row replaced with freshly sealed secrets.
    static func upsert(_ opened: Opened, existing: SNMPCredential?, existingCanonical: CanonicalRow?, key: MasterKey)
        throws -> PostgresQuery
    {
        if existing == opened.credential, existingCanonical == canonical(opened) {
            return "SELECT 1 WHERE FALSE"
        }
        let sealed = try key.sealLegacy(opened.credential, id: opened.id, device: opened.device)
        return """
            INSERT INTO snmp_credentials AS t (id, device_id, version, community_encrypted, username, auth_protocol,
                auth_key_encrypted, priv_protocol, priv_key_encrypted, security_level, created_at, updated_at)
            VALUES (\(opened.id), \(opened.device), \(sealed.version), \(sealed.community), \(sealed.username),
                \(sealed.authProtocol), \(sealed.authKey), \(sealed.privProtocol), \(sealed.privKey),
                \(opened.securityLevel), \(opened.created), \(opened.updated))
            ON CONFLICT (id) DO UPDATE SET device_id = EXCLUDED.device_id, version = EXCLUDED.version,
                community_encrypted = EXCLUDED.community_encrypted, username = EXCLUDED.username,
                auth_protocol = EXCLUDED.auth_protocol, auth_key_encrypted = EXCLUDED.auth_key_encrypted,
                priv_protocol = EXCLUDED.priv_protocol, priv_key_encrypted = EXCLUDED.priv_key_encrypted,
                security_level = EXCLUDED.security_level, created_at = EXCLUDED.created_at,
                updated_at = EXCLUDED.updated_at
            RETURNING 1
            """
    }
}

extension MasterKey {
    /// Seals a credential's secrets for the `snmp_credentials` row `id` of `device` (each bound
    /// to its column, row and device, as the collector's own sealing does).
    func sealLegacy(_ credential: SNMPCredential, id: UUID, device: UUID) throws -> SNMPCredentialRecord {
        func field(_ column: String) -> CredentialField {
            CredentialField(table: .snmpCredentials, column: column, rowID: id, deviceID: device)
        }
        return SNMPCredentialRecord(
            id: id, deviceID: device, version: credential.version.rawValue,
            community: try credential.community.map { try seal($0, context: field("community_encrypted").context) },
            username: credential.user, authProtocol: credential.authProtocol,
            authKey: try credential.authKey.map { try seal($0, context: field("auth_key_encrypted").context) },
            privProtocol: credential.privProtocol,
            privKey: try credential.privKey.map { try seal($0, context: field("priv_key_encrypted").context) })
    }

    /// Opens the secrets of a stored `snmp_credentials` row.
    func openLegacy(_ record: SNMPCredentialRecord) throws -> SNMPCredential {
        func open(_ sealed: String?, _ column: String) throws -> String? {
            guard let sealed else { return nil }
            return try self.open(
                sealed,
                context: CredentialField(
                    table: .snmpCredentials, column: column, rowID: record.id, deviceID: record.deviceID
                ).context)
        }
        guard let version = SNMPCredential.Version(rawValue: record.version) else {
            throw LegacyValueError(column: "version", reason: "unknown SNMP version \(record.version)")
        }
        return SNMPCredential(
            version: version, community: try open(record.community, "community_encrypted"), user: record.username,
            authProtocol: record.authProtocol, authKey: try open(record.authKey, "auth_key_encrypted"),
            privProtocol: record.privProtocol, privKey: try open(record.privKey, "priv_key_encrypted"))
    }
}
