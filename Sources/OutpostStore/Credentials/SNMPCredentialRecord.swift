import Foundation

/// A row of `snmp_credentials` with its secrets still sealed.
public struct SNMPCredentialRecord: Sendable, Equatable {
    /// `v1`, `v2c` or `v3`.
    public var version: String
    public var id: UUID
    public var deviceID: UUID
    public var community: String?
    public var username: String?
    /// `MD5`, `SHA`, `SHA-224`, `SHA-256`, `SHA-384`, `SHA-512`.
    public var authProtocol: String?
    public var authKey: String?
    /// `DES`, `AES`, `AES-192`, `AES-256`.
    public var privProtocol: String?
    public var privKey: String?

    /// The protocol names the schema accepts.
    public static let authProtocols: Set<String> = ["MD5", "SHA", "SHA-224", "SHA-256", "SHA-384", "SHA-512"]
    public static let privProtocols: Set<String> = ["DES", "AES", "AES-192", "AES-256"]

    public init(
        id: UUID, deviceID: UUID, version: String, community: String? = nil, username: String? = nil,
        authProtocol: String? = nil, authKey: String? = nil, privProtocol: String? = nil, privKey: String? = nil
    ) {
        self.id = id
        self.deviceID = deviceID
        self.version = version
        self.community = community
        self.username = username
        self.authProtocol = authProtocol
        self.authKey = authKey
        self.privProtocol = privProtocol
        self.privKey = privKey
    }

    /// The USM security level the set fields imply (v3 only).
    public var securityLevel: String? {
        guard version == "v3" else { return nil }
        return authKey == nil ? "noAuthNoPriv" : (privKey == nil ? "authNoPriv" : "authPriv")
    }

    /// Where each secret column of this row is stored, for sealing and opening.
    public func field(_ column: String) -> CredentialField {
        CredentialField(table: .snmpCredentials, column: column, rowID: id, deviceID: deviceID)
    }
}
