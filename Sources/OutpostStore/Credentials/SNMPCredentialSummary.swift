import Foundation

/// A device's SNMP credential as operators may see it: its version, user and protocols, and
/// which secrets are set, never their values.
public struct SNMPCredentialSummary: Sendable, Equatable {
    /// The audit log's entity name for SNMP credentials (the entity id is the device's).
    public static let auditEntity = "snmp_credential"

    public let deviceID: UUID
    /// `v1`, `v2c` or `v3`.
    public let version: String
    public let username: String?
    public let authProtocol: String?
    public let privProtocol: String?
    /// `noAuthNoPriv`, `authNoPriv` or `authPriv` (v3 only).
    public let securityLevel: String?
    public let hasCommunity: Bool
    public let hasAuthKey: Bool
    public let hasPrivKey: Bool

    /// Creates a summary.
    public init(
        deviceID: UUID, version: String, username: String?, authProtocol: String?, privProtocol: String?,
        securityLevel: String?, hasCommunity: Bool, hasAuthKey: Bool, hasPrivKey: Bool
    ) {
        self.deviceID = deviceID
        self.version = version
        self.username = username
        self.authProtocol = authProtocol
        self.privProtocol = privProtocol
        self.securityLevel = securityLevel
        self.hasCommunity = hasCommunity
        self.hasAuthKey = hasAuthKey
        self.hasPrivKey = hasPrivKey
    }

    /// The summary of a sealed record.
    init(_ record: SNMPCredentialRecord) {
        self.init(
            deviceID: record.deviceID, version: record.version, username: record.username,
            authProtocol: record.authProtocol, privProtocol: record.privProtocol, securityLevel: record.securityLevel,
            hasCommunity: record.community != nil, hasAuthKey: record.authKey != nil, hasPrivKey: record.privKey != nil)
    }

    /// The fields an audit entry records: secrets only as set.
    var auditFields: [String: AuditValue] {
        var fields: [String: AuditValue] = [
            "version": .text(version), "user": .optional(username), "auth_protocol": .optional(authProtocol),
            "priv_protocol": .optional(privProtocol), "security_level": .optional(securityLevel),
        ]
        for (field, isSet) in [("community", hasCommunity), ("auth_key", hasAuthKey), ("priv_key", hasPrivKey)]
        where isSet {
            fields[field] = .secret
        }
        return fields
    }
}
