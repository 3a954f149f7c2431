import Foundation
import OutpostCore
import OutpostPKI
import OutpostStore

extension MasterKey {
    /// Seals the secrets of a candidate credential for the `discovery_credentials` row `id`.
    public func seal(_ credential: SNMPCredential, discoveryCredential id: UUID, name: String) throws -> DiscoveryCredentialRecord {
        var record = DiscoveryCredentialRecord(id: id, name: name, version: credential.version.rawValue, username: credential.user,
                                               authProtocol: credential.authProtocol, privProtocol: credential.privProtocol)
        record.community = try credential.community.map { try seal($0, in: record.field("community_encrypted")) }
        record.authKey = try credential.authKey.map { try seal($0, in: record.field("auth_key_encrypted")) }
        record.privKey = try credential.privKey.map { try seal($0, in: record.field("priv_key_encrypted")) }
        return record
    }

    /// Opens the secrets of a candidate credential.
    public func open(_ record: DiscoveryCredentialRecord) throws(CredentialOpeningError) -> SNMPCredential {
        guard let version = SNMPCredential.Version(rawValue: record.version) else {
            throw CredentialOpeningError(field: record.field("credential_type"), reason: .malformed("unknown SNMP version \(record.version)"))
        }
        var credential = SNMPCredential(version: version, user: record.username, authProtocol: record.authProtocol, privProtocol: record.privProtocol)
        if let sealed = record.community { credential.community = try open(sealed, in: record.field("community_encrypted")) }
        if let sealed = record.authKey { credential.authKey = try open(sealed, in: record.field("auth_key_encrypted")) }
        if let sealed = record.privKey { credential.privKey = try open(sealed, in: record.field("priv_key_encrypted")) }
        return credential
    }
}
