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
public struct AgentTLS: Sendable {
    let context: NIOSSLContext
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
        context = try NIOSSLContext(configuration: configuration)
        verifier = AgentCertificateVerifier(caCertificate: caCertificate)
        self.denyList = denyList
    }

    /// A server handler for one connection; its verification callback resolves the agent.
    func makeHandler(identified: EventLoopPromise<VerifiedAgent>) -> NIOSSLServerHandler {
        let verifier = self.verifier
        let denyList = self.denyList
        return NIOSSLServerHandler(context: context, customVerificationCallbackWithMetadata: { certificates, promise in
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
