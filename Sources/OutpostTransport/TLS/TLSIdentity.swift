import NIOSSL
import X509

/// What one end of a connection presents: its certificate chain (own certificate first) and
/// the private key of that certificate.
public struct TLSIdentity: Sendable {
    /// The chain sent to the peer, own certificate first.
    let certificateChain: [NIOSSLCertificateSource]
    /// The key of the first certificate.
    let privateKey: NIOSSLPrivateKeySource

    /// From PEM text: a chain of one or more certificates, and a private key.
    public init(certificateChainPEM: String, privateKeyPEM: String) throws {
        certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(certificateChainPEM.utf8)).map { .certificate($0) }
        privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(privateKeyPEM.utf8), format: .pem))
    }

    /// From parsed certificates, own certificate first, and a private key in PEM.
    public init(certificateChain: [Certificate], privateKeyPEM: String) throws {
        self.certificateChain = try certificateChain.map { certificate in
            .certificate(
                try NIOSSLCertificate(bytes: Array(try certificate.serializeAsPEM().pemString.utf8), format: .pem))
        }
        privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(privateKeyPEM.utf8), format: .pem))
    }
}
