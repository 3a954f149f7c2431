import Synchronization
import SwiftASN1
import X509

/// Rejects chains in which any certificate's serial number is in a deny-list snapshot.
///
/// Outpost has one issuing CA, so a serial number alone identifies a certificate. The set is
/// a snapshot: build a new policy (a cheap copy-on-write set) from ``RevocationDenyList``
/// for each verification.
public struct RevokedSerialsPolicy: VerifierPolicy, Sendable {
    /// No extensions are processed by this policy.
    public let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = []
    /// The revoked serial numbers.
    public let revokedSerials: Set<Certificate.SerialNumber>

    /// A policy refusing `revokedSerials`.
    public init(revokedSerials: Set<Certificate.SerialNumber>) {
        self.revokedSerials = revokedSerials
    }

    public func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) -> PolicyEvaluationResult {
        for certificate in chain where revokedSerials.contains(certificate.serialNumber) {
            let serial = certificate.serialNumber.hexString
            return .failsToMeetPolicy(reason: "certificate serial \(serial) is revoked")
        }
        return .meetsPolicy
    }
}

/// The current set of revoked serial numbers, shared by all TLS handshakes of a collector and
/// replaced as a whole when `revoked_certificates` changes (at start-up and on NOTIFY).
public final class RevocationDenyList: Sendable {
    private let serials: Mutex<Set<Certificate.SerialNumber>>

    /// A deny list holding `serials`.
    public init(_ serials: Set<Certificate.SerialNumber> = []) {
        self.serials = Mutex(serials)
    }

    /// The current set (a copy-on-write value: cheap, and unaffected by later swaps).
    public var snapshot: Set<Certificate.SerialNumber> {
        serials.withLock { $0 }
    }

    /// Replaces the whole set.
    public func replace(with newSerials: Set<Certificate.SerialNumber>) {
        serials.withLock { $0 = newSerials }
    }

    /// Adds one serial (e.g. right after `agents revoke`, before the reload arrives).
    public func insert(_ serial: Certificate.SerialNumber) {
        _ = serials.withLock { $0.insert(serial) }
    }
}
