import Foundation
import OutpostCore
// The SPI is swift-certificates' supported way to validate expiry at a given time (the public
// `init(validationTime:)` is deprecated in its favour); tests need it to check expired certificates.
@_spi(FixedExpiryValidationTime) import X509

/// Verifies agents' TLS client certificate chains against the Outpost CA.
///
/// NIOSSL cannot check revocation itself, so the collector's TLS server replaces BoringSSL's
/// chain check with this verifier in `NIOSSLServerHandler(context:customVerificationCallbackWithMetadata:)`:
/// it performs the whole RFC 5280 chain validation at `now`, requires ExtendedKeyUsage
/// clientAuth on the leaf, refuses revoked serials and extracts the agent identity.
public struct AgentCertificateVerifier: Sendable {
    /// Most intermediate certificates accepted from a peer (Outpost issues none).
    public static let maximumIntermediates = 4

    /// The trust root.
    public let caCertificate: Certificate

    /// A verifier trusting only `caCertificate`.
    public init(caCertificate: Certificate) {
        self.caCertificate = caCertificate
    }

    /// Validates `leaf` (with any `intermediates` the peer sent) up to the CA, refusing serials
    /// in `revokedSerials`, certificates of `revokedAgents` and certificates that do not name
    /// exactly one agent.
    ///
    /// - Parameter now: The time validity is checked at; `nil` (the default) is the moment of
    ///   validation.
    public func verifyClientChain(
        leaf: Certificate,
        intermediates: [Certificate],
        revokedSerials: Set<Certificate.SerialNumber>,
        revokedAgents: Set<AgentID> = [],
        now: Date? = nil
    ) async -> Result<VerifiedAgent, ClientChainRejection> {
        guard intermediates.count <= Self.maximumIntermediates else {
            return .failure(ClientChainRejection("peer sent \(intermediates.count) intermediate certificates"))
        }
        let rfc5280 = now.map { RFC5280Policy(fixedExpiryValidationTime: $0) } ?? RFC5280Policy()
        var verifier = Verifier(rootCertificates: CertificateStore([caCertificate])) {
            rfc5280
            ExtendedKeyUsagePolicy(usage: .clientAuth)
            RevokedSerialsPolicy(revokedSerials: revokedSerials)
        }
        let result = await verifier.validate(leaf: leaf, intermediates: CertificateStore(intermediates))
        switch result {
        case .validCertificate(let chain):
            do {
                let agentID = try AgentIdentity.agentID(of: leaf)
                guard !revokedAgents.contains(agentID) else {
                    return .failure(ClientChainRejection("agent \(agentID) is revoked"))
                }
                return .success(VerifiedAgent(agentID: agentID, leaf: leaf, chain: Array(chain)))
            } catch {
                return .failure(ClientChainRejection(error.description))
            }
        case .couldNotValidate(let failures):
            return .failure(ClientChainRejection(failures: failures))
        }
    }
}

/// An agent whose client certificate chain verified.
public struct VerifiedAgent: Sendable {
    /// The identity from the certificate's `outpost://agent/` URI.
    public let agentID: AgentID
    /// The branch name from the subject's OU (informational; the database is authoritative).
    public let branch: String?
    /// The leaf certificate's serial number.
    public let serialNumber: Certificate.SerialNumber
    /// The leaf certificate's expiry.
    public let notValidAfter: Date
    /// The agent's public key, to check batch signatures with.
    public let publicKey: Certificate.PublicKey
    /// The validated chain, leaf first, CA last (for NIOSSL's `VerificationMetadata`).
    public let chain: [Certificate]

    init(agentID: AgentID, leaf: Certificate, chain: [Certificate]) {
        self.agentID = agentID
        self.branch = AgentIdentity.branch(of: leaf)
        self.serialNumber = leaf.serialNumber
        self.notValidAfter = leaf.notValidAfter
        self.publicKey = leaf.publicKey
        self.chain = chain
    }
}

/// Why a peer's certificate chain was refused.
public struct ClientChainRejection: Error, Sendable, CustomStringConvertible {
    /// The reasons, one per candidate chain tried (or one line).
    public let description: String

    init(_ reason: String) {
        self.description = reason
    }

    init(failures: [CertificateValidationResult.PolicyFailure]) {
        self.description =
            failures.isEmpty
            ? "no chain to the Outpost CA"
            : failures.map(\.policyFailureReason.description).joined(separator: "; ")
    }
}
