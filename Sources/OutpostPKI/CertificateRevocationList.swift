import Foundation
import SwiftASN1
import X509

/// An X.509 v2 certificate revocation list (RFC 5280 §5) signed by the Outpost CA, for peers
/// that check Outpost certificates themselves (`openssl verify -crl_check`, a TLS proxy, a
/// third-party service). Collectors do not need it: they refuse revoked agents from the
/// database directly (``RevocationDenyList``).
///
/// Issue one with ``CertificateAuthority/issueRevocationList(revoking:validity:now:)``.
public struct CertificateRevocationList: Sendable {
    /// One revoked certificate.
    public struct Entry: Hashable, Sendable {
        /// The revoked certificate's serial number.
        public var serialNumber: Certificate.SerialNumber
        /// When it was revoked (encoded to the second).
        public var revocationDate: Date
        /// Why; `nil` omits the reasonCode entry extension, which RFC 5280 prefers to
        /// stating `unspecified`.
        public var reason: Reason?

        /// An entry revoking `serialNumber` at `revocationDate`.
        public init(serialNumber: Certificate.SerialNumber, revocationDate: Date, reason: Reason? = nil) {
            self.serialNumber = serialNumber
            self.revocationDate = revocationDate
            self.reason = reason
        }
    }

    /// The RFC 5280 CRLReason codes that apply to Outpost's end-entity certificates.
    public enum Reason: Int, CaseIterable, Sendable {
        /// The certificate's private key was (or may have been) disclosed.
        case keyCompromise = 1
        /// The CA's private key was (or may have been) disclosed.
        case caCompromise = 2
        /// The subject's name or other information changed (e.g. it moved branch).
        case affiliationChanged = 3
        /// The certificate was replaced.
        case superseded = 4
        /// The certificate is no longer needed (e.g. the branch box was decommissioned).
        case cessationOfOperation = 5
        /// A privilege the certificate granted was withdrawn.
        case privilegeWithdrawn = 9

        /// The reason `name` spells as RFC 5280 does, ignoring case (e.g. `keyCompromise`);
        /// `nil` for any other text.
        public init?(name: String) {
            let wanted = name.lowercased()
            guard let reason = Self.allCases.first(where: { String(describing: $0).lowercased() == wanted }) else {
                return nil
            }
            self = reason
        }
    }

    /// The CRL number: the issuing time in whole seconds since 1970, so a later CRL of the
    /// same CA carries a larger number (CRLs issued within the same second share one).
    public let number: Int
    /// Start of validity (`thisUpdate`).
    public let thisUpdate: Date
    /// End of validity (`nextUpdate`): publish a new CRL before it, or peers reject every
    /// certificate as of unknown status.
    public let nextUpdate: Date
    /// The DER `CertificateList`.
    public let derEncoded: [UInt8]

    init(number: Int, thisUpdate: Date, nextUpdate: Date, derEncoded: [UInt8]) {
        self.number = number
        self.thisUpdate = thisUpdate
        self.nextUpdate = nextUpdate
        self.derEncoded = derEncoded
    }

    /// The CRL as PEM (`-----BEGIN X509 CRL-----`) with a final newline.
    public var pemEncoded: String {
        PEMDocument(type: "X509 CRL", derBytes: derEncoded).pemString + "\n"
    }

    /// Writes ``pemEncoded`` to `path` (mode 0644) through a temporary file, fsync and rename,
    /// replacing any previous CRL: readers see the old or the new file, never a partial one.
    public func save(to path: String) throws {
        try SecureFile.store(Array(pemEncoded.utf8), at: path, mode: 0o644, replace: true)
    }
}
