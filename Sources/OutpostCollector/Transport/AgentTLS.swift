import Foundation
import NIOCore
import NIOSSL
import OutpostPKI
import X509

/// The collector's mutual-TLS setup for agent connections.
///
/// TLS 1.3 only; a client certificate is required. Verification is replaced by
/// ``AgentCertificateVerifier`` (full RFC 5280 chain to the Outpost CA, clientAuth, expiry, the
/// revocation deny list), because BoringSSL has no CRL support (STACK-NOTES).
///
/// No session is ever resumed. A resumed TLS 1.3 handshake (a session ticket from an earlier
/// connection) presents no certificate and never calls the verification callback: the agent
/// would be neither checked against the deny list nor identified. NIOSSL offers no switch for
/// tickets (`SSL_OP_NO_TICKET` is not reachable), and a ticket is encrypted with keys of the
/// `SSL_CTX` that issued it, so each connection gets a context of its own: a ticket it hands
/// out opens nothing, and the next handshake is a full one with the certificate verified.
public struct AgentTLS: Sendable {
    private let configuration: TLSConfiguration
    let verifier: AgentCertificateVerifier
    let denyList: RevocationDenyList

    /// - Parameters:
    ///   - certificateChainPEM: the collector's `[server.crt, ca.crt]` in PEM.
    ///   - privateKeyPEM: the collector's key in PEM.
    ///   - caCertificate: the Outpost CA that issues agent certificates.
    public init(certificateChainPEM: String, privateKeyPEM: String, caCertificate: Certificate, denyList: RevocationDenyList) throws {
        let chain = try NIOSSLCertificate.fromPEMBytes(Array(certificateChainPEM.utf8))
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(privateKeyPEM.utf8), format: .pem)))
        configuration.minimumTLSVersion = .tlsv13
        configuration.certificateVerification = .noHostnameVerification
        let caPEM = try caCertificate.serializeAsPEM().pemString
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(caPEM.utf8)))
        // Built once here so that a bad key or chain fails at start, not per connection.
        _ = try NIOSSLContext(configuration: configuration)
        self.configuration = configuration
        verifier = AgentCertificateVerifier(caCertificate: caCertificate)
        self.denyList = denyList
    }

    /// A server handler for one connection, with a TLS context of its own (no resumption); its
    /// verification callback resolves the agent.
    func makeHandler(identified: EventLoopPromise<VerifiedAgent>) throws -> NIOSSLServerHandler {
        let verifier = self.verifier
        let denyList = self.denyList
        return NIOSSLServerHandler(context: try NIOSSLContext(configuration: configuration), customVerificationCallbackWithMetadata: { certificates, promise in
            // Everything the peer sent is untrusted input: parse, then verify the whole chain.
            guard let chain = try? certificates.map({ try Certificate(derEncoded: $0.toDERBytes()) }), let leaf = chain.first else {
                promise.succeed(.failed)
                identified.fail(AgentRejected(reason: "no parsable client certificate"))
                return
            }
            Task {
                switch await verifier.verifyClientChain(leaf: leaf, intermediates: Array(chain.dropFirst()), revokedSerials: denyList.snapshot,
                                                        revokedAgents: denyList.revokedAgents) {
                case .success(let agent):
                    identified.succeed(agent)
                    promise.succeed(.certificateVerified(VerificationMetadata(nil)))
                case .failure(let rejection):
                    identified.fail(AgentRejected(reason: rejection.description))
                    promise.succeed(.failed)
                }
            }
        })
    }
}

/// A connection refused at the TLS handshake, with why.
struct AgentRejected: Error, CustomStringConvertible {
    let reason: String
    var description: String { "agent certificate refused: \(reason)" }
}
