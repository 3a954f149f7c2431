import Crypto
import Foundation
import OutpostStore

/// `standalone_devices.snmp_community` → `snmp_credentials`: the community the legacy kept on
/// the device row (plaintext, or a Fernet token opened with the legacy's keys) becomes an
/// Outpost v1/v2c credential of that device, sealed under the master key, when the device got
/// no credential from the legacy's `snmp_credentials` (docs/legacy-import.md).
enum DeviceCommunityMapping {
    /// The name the mapping table and the report give these rows.
    static let legacyName = "standalone_devices.snmp_community"
    static let spec = TableSpec(
        legacy: legacyName, outpost: "snmp_credentials", key: "id", columns: CredentialMapping.spec.columns)

    /// The credential's id: derived from the device's, so every run writes the same row.
    static func credentialID(device: UUID) -> UUID {
        var bytes = Array(SHA256.hash(data: Data("\(legacyName) \(device.uuidString.lowercased())".utf8)).prefix(16))
        bytes[6] = bytes[6] & 0x0F | 0x80  // version 8 (RFC 9562: a name-derived id of our own)
        bytes[8] = bytes[8] & 0x3F | 0x80  // variant 10
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9],
                bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }

    /// Opens and checks the community of one imported device's legacy row; `nil` when the
    /// device has none (NULL or blank).
    static func open(_ row: LegacyRow, device: UUID, opener: LegacySecretOpener) throws -> CredentialMapping.Opened? {
        guard let opened = try opener.open(row.text("snmp_community")),
            !opened.text.trimmingCharacters(in: .whitespaces).isEmpty
        else { return nil }
        var version = row.text("snmp_version")?.trimmingCharacters(in: .whitespaces).lowercased() ?? "v2c"
        if ["", "2c", "2", "v2"].contains(version) { version = "v2c" }
        if version == "1" { version = "v1" }
        guard version == "v1" || version == "v2c" else {
            throw LegacyValueError(
                column: "snmp_version",
                reason: "\(version.debugDescription) with only a community (a v3 credential needs a user)")
        }
        let credential = try SNMPCredentialInput(version: version, community: opened.text).resolve()
        return CredentialMapping.Opened(
            id: credentialID(device: device), device: device, credential: credential, securityLevel: nil,
            created: try row.timestamp("created_at", .tbilisi) ?? Date(timeIntervalSince1970: 0),
            updated: try row.timestamp("updated_at", .tbilisi), how: [opened.how])
    }
}
