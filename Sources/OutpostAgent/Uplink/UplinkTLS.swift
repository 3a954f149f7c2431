import NIOSSL
import OutpostPKI
import X509

/// The agent's side of mutual TLS: its own certificate and key, trusting only the Outpost CA.
public struct UplinkTLS: Sendable {
    let context: NIOSSLContext

    /// From the agent's enrolled credentials.
    public init(credentials: AgentCredentials) throws {
        let certificatePEM = try credentials.certificate.serializeAsPEM().pemString
        let caPEM = try credentials.caCertificate.serializeAsPEM().pemString
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv13
        configuration.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(certificatePEM.utf8)).map { .certificate($0) }
        configuration.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(credentials.privateKey.pemEncoded.utf8), format: .pem))
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(caPEM.utf8)))
        configuration.certificateVerification = .fullVerification
        context = try NIOSSLContext(configuration: configuration)
    }
}

extension UplinkTLS {
    /// A client handler for one connection to `serverHostname`.
    public func makeClientHandler(serverHostname: String) throws -> NIOSSLClientHandler {
        try NIOSSLClientHandler(context: context, serverHostname: serverHostname)
    }
}
