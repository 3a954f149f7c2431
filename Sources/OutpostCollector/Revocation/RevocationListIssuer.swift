import Foundation
import Logging
import OutpostPKI
import OutpostStore
import PostgresNIO
import X509

/// Issues the CA's certificate revocation list from `revoked_certificates`
/// (`outpost-collector ca crl`), for peers that check Outpost certificates with a CRL.
public enum RevocationListIssuer {
    /// A CRL signed by `authority` revoking every row of `revoked_certificates`, oldest first.
    ///
    /// A row's reason becomes the entry's reasonCode when it names an RFC 5280 reason, ignoring
    /// case (`agents revoke --reason keyCompromise`); other text stays in the database only.
    ///
    /// - Throws: ``RevocationListIssuerError`` when a stored serial is not hex (the CRL would
    ///   silently miss that certificate), ``IssuanceError/invalidLifetime`` for a `validity`
    ///   that is not positive, or the database's error.
    public static func issue(
        authority: CertificateAuthority,
        validity: TimeInterval = PKIDefaults.revocationListValidity,
        now: Date = Date(),
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> CertificateRevocationList {
        let records = try await AgentRegistry(logger: logger).revokedCertificates(on: connection)
        let entries = try records.map { record in
            guard let serial = Certificate.SerialNumber(hexString: record.serial) else {
                throw RevocationListIssuerError(serial: record.serial)
            }
            return CertificateRevocationList.Entry(
                serialNumber: serial, revocationDate: record.revokedAt,
                reason: record.reason.flatMap(CertificateRevocationList.Reason.init(name:)))
        }
        return try authority.issueRevocationList(revoking: entries, validity: validity, now: now)
    }
}

/// `revoked_certificates` holds a serial that is not hex; no CRL was issued.
public struct RevocationListIssuerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The stored serial.
    public let serial: String

    public var description: String {
        "revoked_certificates holds serial \(serial.debugDescription), which is not hex: no CRL issued"
    }
}
