import NIOCore
import NIOSSL
import OutpostPKI
import OutpostTransport
import X509

/// The collector's mutual-TLS setup for agent connections.
///
/// TLS 1.3 only; a client certificate is required, and no session is ever resumed
/// (``OutpostTransport/MutualTLSServer``). Verification is replaced by
/// ``AgentCertificateVerifier`` (full RFC 5280 chain to the Outpost CA, clientAuth, expiry, the
/// revocation deny list), because BoringSSL has no CRL support (`docs/architecture.md`,
/// "Stack traps").
public struct AgentTLS: Sendable {
    private let server: MutualTLSServer
    let verifier: AgentCertificateVerifier
    let denyList: RevocationDenyList

    /// - Parameters:
    ///   - certificateChainPEM: the collector's `[server.crt, ca.crt]` in PEM.
    ///   - privateKeyPEM: the collector's key in PEM.
    ///   - caCertificate: the Outpost CA that issues agent certificates.
    public init(
        certificateChainPEM: String, privateKeyPEM: String, caCertificate: Certificate, denyList: RevocationDenyList
    ) throws {
        server = try MutualTLSServer(
            identity: TLSIdentity(certificateChainPEM: certificateChainPEM, privateKeyPEM: privateKeyPEM),
            clientCA: caCertificate)
        verifier = AgentCertificateVerifier(caCertificate: caCertificate)
        self.denyList = denyList
    }

    /// A server handler for one connection, with a TLS context of its own (no resumption); its
    /// verification callback resolves the agent.
    func makeHandler(identified: EventLoopPromise<VerifiedAgent>) throws -> NIOSSLServerHandler {
        let verifier = self.verifier
        let denyList = self.denyList
        return try server.makeHandler(
            check: PeerChainCheck(
                unparsable: { identified.fail(AgentRejected(reason: "no parsable client certificate")) },
                verify: { chain in
                    guard let leaf = chain.first else {
                        identified.fail(AgentRejected(reason: "no parsable client certificate"))
                        return false
                    }
                    switch await verifier.verifyClientChain(
                        leaf: leaf, intermediates: Array(chain.dropFirst()), revokedSerials: denyList.snapshot,
                        revokedAgents: denyList.revokedAgents)
                    {
                    case .success(let agent):
                        identified.succeed(agent)
                        return true
                    case .failure(let rejection):
                        identified.fail(AgentRejected(reason: rejection.description))
                        return false
                    }
                }))
    }
}

/// A connection refused at the TLS handshake, with why.
struct AgentRejected: Error, CustomStringConvertible {
    let reason: String
    var description: String { "agent certificate refused: \(reason)" }
}
