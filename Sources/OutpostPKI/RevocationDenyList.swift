import OutpostCore
import SwiftASN1
import Synchronization
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

/// What the collector refuses at the TLS handshake: revoked certificate serials, and revoked
/// agents whatever certificate they present (an agent that renewed holds several valid
/// certificates; revoking the agent must refuse them all). Shared by all TLS handshakes of a
/// collector and replaced as a whole when `revoked_certificates` changes (at start-up and on
/// NOTIFY).
public final class RevocationDenyList: Sendable {
    private let state: Mutex<(serials: Set<Certificate.SerialNumber>, agents: Set<AgentID>)>

    /// A deny list holding `serials` and `agents`.
    public init(_ serials: Set<Certificate.SerialNumber> = [], agents: Set<AgentID> = []) {
        self.state = Mutex((serials, agents))
    }

    /// The revoked serials (a copy-on-write value: cheap, and unaffected by later swaps).
    public var snapshot: Set<Certificate.SerialNumber> {
        state.withLock { $0.serials }
    }

    /// The revoked agents (a copy-on-write value).
    public var revokedAgents: Set<AgentID> {
        state.withLock { $0.agents }
    }

    /// Replaces both sets.
    public func replace(serials: Set<Certificate.SerialNumber>, agents: Set<AgentID>) {
        state.withLock { $0 = (serials, agents) }
    }

    /// Adds one serial (e.g. right after `agents revoke`, before the reload arrives).
    public func insert(_ serial: Certificate.SerialNumber) {
        _ = state.withLock { $0.serials.insert(serial) }
    }

    /// Adds one agent (on the revocation NOTIFY, before the reload arrives).
    public func insert(agent: AgentID) {
        _ = state.withLock { $0.agents.insert(agent) }
    }
}
