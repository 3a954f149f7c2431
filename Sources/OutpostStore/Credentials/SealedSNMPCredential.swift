/// A stored SNMP credential whose secrets (community, auth and privacy keys) are sealed with
/// the master key, each bound to the column and row that hold it.
public protocol SealedSNMPCredential: Sendable {
    /// `v1`, `v2c` or `v3`.
    var version: String { get }
    var username: String? { get }
    var authProtocol: String? { get }
    var privProtocol: String? { get }
    var community: String? { get set }
    var authKey: String? { get set }
    var privKey: String? { get set }
    /// The column an unknown ``version`` is reported under.
    static var versionColumn: String { get }
    /// Where each secret column of this row is stored, for sealing and opening.
    func field(_ column: String) -> CredentialField
}

extension SNMPCredentialRecord: SealedSNMPCredential {
    public static var versionColumn: String { "version" }
}

extension DiscoveryCredentialRecord: SealedSNMPCredential {
    public static var versionColumn: String { "credential_type" }
}
