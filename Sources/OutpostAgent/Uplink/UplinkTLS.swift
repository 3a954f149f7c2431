import NIOSSL
import OutpostPKI
import OutpostTransport

/// The agent's side of mutual TLS: its own certificate and key, trusting only the Outpost CA.
public struct UplinkTLS: Sendable {
    private let client: MutualTLSClient

    /// From the agent's enrolled credentials.
    public init(credentials: AgentCredentials) throws {
        client = try MutualTLSClient(
            identity: TLSIdentity(
                certificateChain: [credentials.certificate], privateKeyPEM: credentials.privateKey.pemEncoded),
            trusting: credentials.caCertificate)
    }
}

extension UplinkTLS {
    /// A client handler for one connection to `serverHostname`.
    public func makeClientHandler(serverHostname: String) throws -> NIOSSLClientHandler {
        try client.makeHandler(serverHostname: serverHostname)
    }
}
