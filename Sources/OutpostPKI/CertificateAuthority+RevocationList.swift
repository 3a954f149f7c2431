import Foundation
import X509

extension CertificateAuthority {
    /// Issues a CRL listing `entries`, signed ecdsa-with-SHA256 with the CA key.
    ///
    /// The CRL names the CA's subject as issuer and carries AuthorityKeyIdentifier and a
    /// CRLNumber of `now` in seconds since 1970. `thisUpdate` is `now -
    /// PKIDefaults.clockSkewAllowance` (as for certificates) and `nextUpdate` is
    /// `now + validity`. An empty `entries` gives a valid CRL that revokes nothing.
    ///
    /// - Parameters:
    ///   - entries: The revoked certificates, listed in this order.
    ///   - validity: How long from `now` peers may use the CRL; default 7 days.
    ///   - now: The issuing time.
    /// - Throws: ``IssuanceError/invalidLifetime`` when `validity` is not positive.
    public func issueRevocationList(
        revoking entries: [CertificateRevocationList.Entry],
        validity: TimeInterval = PKIDefaults.revocationListValidity,
        now: Date = Date()
    ) throws -> CertificateRevocationList {
        guard validity > 0 else { throw IssuanceError.invalidLifetime }
        let number = Int(now.timeIntervalSince1970.rounded(.down))
        let thisUpdate = now - PKIDefaults.clockSkewAllowance
        let nextUpdate = now + validity
        let tbsCertList = try RevocationListEncoding.tbsCertList(
            issuer: certificate.subject, thisUpdate: thisUpdate, nextUpdate: nextUpdate, entries: entries,
            authorityKeyIdentifier: subjectKeyIdentifier, number: number)
        let signature = try privateKey.certificateKey.sign(bytes: tbsCertList, signatureAlgorithm: .ecdsaWithSHA256)
        let der = try RevocationListEncoding.certificateList(
            tbsCertList: tbsCertList, signature: signature.rawRepresentation)
        return CertificateRevocationList(
            number: number, thisUpdate: thisUpdate, nextUpdate: nextUpdate, derEncoded: der)
    }
}
