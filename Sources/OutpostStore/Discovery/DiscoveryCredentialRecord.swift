import Foundation

/// An SNMP row of `discovery_credentials` with its secrets still sealed (the collector seals
/// and opens them with the master key, bound to ``field(_:)``).
public struct DiscoveryCredentialRecord: Sendable, Equatable {
    public var id: UUID
    public var name: String
    /// `v1`, `v2c` or `v3`.
    public var version: String
    public var community: String?
    public var username: String?
    public var authProtocol: String?
    public var authKey: String?
    public var privProtocol: String?
    public var privKey: String?

    /// Creates a record.
    public init(
        id: UUID = UUID(), name: String, version: String, community: String? = nil, username: String? = nil,
        authProtocol: String? = nil, authKey: String? = nil, privProtocol: String? = nil, privKey: String? = nil
    ) {
        self.id = id
        self.name = name
        self.version = version
        self.community = community
        self.username = username
        self.authProtocol = authProtocol
        self.authKey = authKey
        self.privProtocol = privProtocol
        self.privKey = privKey
    }

    /// Where each secret column of this row is stored, for sealing and opening.
    public func field(_ column: String) -> CredentialField {
        CredentialField(table: .discoveryCredentials, column: column, rowID: id, deviceID: nil)
    }

    /// The `credential_type` value of the row.
    var credentialType: String { "snmp_\(version)" }
}
