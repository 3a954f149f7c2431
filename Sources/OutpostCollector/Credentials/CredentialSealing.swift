import Foundation
import OutpostCore
import OutpostPKI
import OutpostStore

/// A sealed credential could not be opened; names where it is stored, never its content.
public struct CredentialOpeningError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Where the value is stored.
    public let field: CredentialField
    /// Why it did not open.
    public let reason: SealedSecretError

    public var description: String { "\(field): \(reason)" }
}

extension MasterKey {
    /// Opens the value stored in `field`.
    public func open(_ sealed: String, in field: CredentialField) throws(CredentialOpeningError) -> String {
        do {
            return try open(sealed, context: field.context)
        } catch {
            throw CredentialOpeningError(field: field, reason: error)
        }
    }

    /// Seals `plaintext` for storage in `field`.
    public func seal(_ plaintext: String, in field: CredentialField) throws -> String {
        try seal(plaintext, context: field.context)
    }

    /// Seals the secrets of a credential for the row `id` of `device`.
    public func seal(_ credential: SNMPCredential, id: UUID, device: UUID) throws -> SNMPCredentialRecord {
        try seal(
            credential,
            into: SNMPCredentialRecord(
                id: id, deviceID: device, version: credential.version.rawValue, username: credential.user,
                authProtocol: credential.authProtocol, privProtocol: credential.privProtocol))
    }

    /// Seals the secrets of a candidate credential for the `discovery_credentials` row `id`.
    public func seal(_ credential: SNMPCredential, discoveryCredential id: UUID, name: String) throws
        -> DiscoveryCredentialRecord
    {
        try seal(
            credential,
            into: DiscoveryCredentialRecord(
                id: id, name: name, version: credential.version.rawValue, username: credential.user,
                authProtocol: credential.authProtocol, privProtocol: credential.privProtocol))
    }

    /// Opens the secrets of a stored credential.
    public func open(_ record: some SealedSNMPCredential) throws(CredentialOpeningError) -> SNMPCredential {
        guard let version = SNMPCredential.Version(rawValue: record.version) else {
            throw CredentialOpeningError(
                field: record.field(type(of: record).versionColumn),
                reason: .malformed("unknown SNMP version \(record.version)"))
        }
        var credential = SNMPCredential(
            version: version, user: record.username, authProtocol: record.authProtocol,
            privProtocol: record.privProtocol)
        if let sealed = record.community {
            credential.community = try open(sealed, in: record.field("community_encrypted"))
        }
        if let sealed = record.authKey { credential.authKey = try open(sealed, in: record.field("auth_key_encrypted")) }
        if let sealed = record.privKey { credential.privKey = try open(sealed, in: record.field("priv_key_encrypted")) }
        return credential
    }

    /// Fills `record`'s secret columns with `credential`'s secrets, sealed for that row.
    private func seal<Record: SealedSNMPCredential>(_ credential: SNMPCredential, into record: Record) throws -> Record
    {
        var record = record
        record.community = try credential.community.map { try seal($0, in: record.field("community_encrypted")) }
        record.authKey = try credential.authKey.map { try seal($0, in: record.field("auth_key_encrypted")) }
        record.privKey = try credential.privKey.map { try seal($0, in: record.field("priv_key_encrypted")) }
        return record
    }
}
