import NIOSSL
import X509

/// The server side of mutual TLS (the collector's agent listener): a client certificate is
/// required, and a ``PeerChainCheck`` of the caller's decides on it.
///
/// No session is ever resumed. A resumed TLS 1.3 handshake (a session ticket from an earlier
/// connection) presents no certificate and never calls the verification callback: the client
/// would be neither checked nor identified. NIOSSL offers no switch for tickets
/// (`SSL_OP_NO_TICKET` is not reachable), and a ticket is encrypted with keys of the `SSL_CTX`
/// that issued it, so each connection gets a context of its own: a ticket it hands out opens
/// nothing, and the next handshake is a full one with the certificate verified.
public struct MutualTLSServer: Sendable {
    private let configuration: TLSConfiguration

    /// - Parameters:
    ///   - identity: the server's chain and key.
    ///   - clientCA: the CA that issues client certificates.
    public init(identity: TLSIdentity, clientCA: Certificate) throws {
        var configuration = TLSSettings.serverConfiguration(presenting: identity)
        configuration.certificateVerification = .noHostnameVerification
        configuration.trustRoots = try TLSSettings.trustRoots(clientCA)
        // Built once here so that a bad key or chain fails at start, not per connection.
        _ = try NIOSSLContext(configuration: configuration)
        self.configuration = configuration
    }

    /// A server handler for one connection, with a TLS context of its own (no resumption),
    /// whose client chain `check` judges.
    public func makeHandler(check: PeerChainCheck) throws -> NIOSSLServerHandler {
        NIOSSLServerHandler(
            context: try NIOSSLContext(configuration: configuration),
            customVerificationCallbackWithMetadata: check.callback())
    }
}
