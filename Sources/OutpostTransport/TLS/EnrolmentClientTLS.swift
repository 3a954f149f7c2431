import NIOSSL

/// The enrolling agent's TLS: no client certificate, and the collector's chain judged by a
/// ``PeerChainCheck`` (CA pinning) instead of the system's trust roots.
public struct EnrolmentClientTLS: Sendable {
    private let context: NIOSSLContext

    /// A client context with the shared settings.
    public init() throws {
        context = try NIOSSLContext(configuration: TLSSettings.clientConfiguration())
    }

    /// A client handler for one connection; `serverHostname` is sent as SNI (`nil`: none).
    public func makeHandler(serverHostname: String?, check: PeerChainCheck) throws -> NIOSSLClientHandler {
        try NIOSSLClientHandler(
            context: context, serverHostname: serverHostname, customVerificationCallbackWithMetadata: check.callback())
    }
}
