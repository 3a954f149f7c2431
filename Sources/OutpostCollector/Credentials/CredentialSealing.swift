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
        var record = SNMPCredentialRecord(id: id, deviceID: device, version: credential.version.rawValue, username: credential.user,
                                          authProtocol: credential.authProtocol, privProtocol: credential.privProtocol)
        record.community = try credential.community.map { try seal($0, in: record.field("community_encrypted")) }
        record.authKey = try credential.authKey.map { try seal($0, in: record.field("auth_key_encrypted")) }
        record.privKey = try credential.privKey.map { try seal($0, in: record.field("priv_key_encrypted")) }
        return record
    }

    /// Opens the secrets of a stored credential.
    public func open(_ record: SNMPCredentialRecord) throws(CredentialOpeningError) -> SNMPCredential {
        guard let version = SNMPCredential.Version(rawValue: record.version) else {
            throw CredentialOpeningError(field: record.field("version"), reason: .malformed("unknown SNMP version \(record.version)"))
        }
        var credential = SNMPCredential(version: version, user: record.username, authProtocol: record.authProtocol, privProtocol: record.privProtocol)
        if let sealed = record.community { credential.community = try open(sealed, in: record.field("community_encrypted")) }
        if let sealed = record.authKey { credential.authKey = try open(sealed, in: record.field("auth_key_encrypted")) }
        if let sealed = record.privKey { credential.privKey = try open(sealed, in: record.field("priv_key_encrypted")) }
        return credential
    }
}
