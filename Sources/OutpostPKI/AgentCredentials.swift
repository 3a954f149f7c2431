import Foundation
import OutpostCore
import X509

/// An enrolled agent's key, certificate and CA certificate, checked to belong together.
public struct AgentCredentials: Sendable {
    /// The identity in the certificate's `outpost://agent/` URI.
    public let agentID: AgentID
    /// The agent's private key (TLS client identity and batch signatures).
    public let privateKey: P256Key
    /// The agent's client certificate.
    public let certificate: Certificate
    /// The Outpost CA certificate: the trust root for the collector's server certificate.
    public let caCertificate: Certificate

    /// Checks that `certificate` certifies `privateKey`, was signed by `caCertificate` and
    /// names exactly one agent.
    public init(privateKey: P256Key, certificate: Certificate, caCertificate: Certificate) throws(AgentCredentialsError)
    {
        guard privateKey.publicKey == certificate.publicKey else { throw .certificateDoesNotMatchKey }
        guard certificate.issuer == caCertificate.subject,
            caCertificate.publicKey.isValidSignature(certificate.signature, for: certificate)
        else { throw .notIssuedByCA }
        do {
            self.agentID = try AgentIdentity.agentID(of: certificate)
        } catch {
            throw .noAgentIdentity(error)
        }
        self.privateKey = privateKey
        self.certificate = certificate
        self.caCertificate = caCertificate
    }

    /// When this certificate is due for renewal.
    public var renewalSchedule: RenewalSchedule { RenewalSchedule(certificate: certificate) }

    /// Whether 2/3 of the certificate's lifetime has elapsed at `now`.
    public func needsRenewal(now: Date = Date()) -> Bool {
        renewalSchedule.needsRenewal(now: now)
    }

    /// Whether the certificate has expired at `now` (renewal over mTLS is then impossible:
    /// the agent must enrol again with a new token).
    public func isExpired(now: Date = Date()) -> Bool {
        now > certificate.notValidAfter
    }
}

/// An agent's key, certificate and CA certificate do not form valid credentials.
public enum AgentCredentialsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The certificate certifies another key.
    case certificateDoesNotMatchKey
    /// The certificate was not signed by the CA certificate.
    case notIssuedByCA
    /// The certificate does not name exactly one agent.
    case noAgentIdentity(AgentIdentityError)
    /// A renewed certificate names another agent than the current one.
    case agentIdentityChanged(from: AgentID, to: AgentID)

    public var description: String {
        switch self {
        case .certificateDoesNotMatchKey: "the certificate does not certify the agent's key"
        case .notIssuedByCA: "the certificate was not issued by the Outpost CA"
        case .noAgentIdentity(let error): "the certificate names no agent: \(error)"
        case .agentIdentityChanged(let old, let new): "renewed certificate names agent \(new), expected \(old)"
        }
    }
}
