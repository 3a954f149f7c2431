import NIOSSL
import X509

/// The client side of mutual TLS (the agent's uplink): presents the agent's certificate and
/// trusts only the Outpost CA, with full verification of the server's chain and host name.
public struct MutualTLSClient: Sendable {
    private let context: NIOSSLContext

    /// - Parameters:
    ///   - identity: the client certificate and its key.
    ///   - caCertificate: the only CA the server's chain may lead to.
    public init(identity: TLSIdentity, trusting caCertificate: Certificate) throws {
        var configuration = TLSSettings.clientConfiguration()
        configuration.certificateChain = identity.certificateChain
        configuration.privateKey = identity.privateKey
        configuration.trustRoots = try TLSSettings.trustRoots(caCertificate)
        configuration.certificateVerification = .fullVerification
        context = try NIOSSLContext(configuration: configuration)
    }

    /// A client handler for one connection to `serverHostname`.
    public func makeHandler(serverHostname: String) throws -> NIOSSLClientHandler {
        try NIOSSLClientHandler(context: context, serverHostname: serverHostname)
    }
}
