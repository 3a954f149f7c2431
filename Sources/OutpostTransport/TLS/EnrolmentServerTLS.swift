import NIOSSL

/// The enrolment endpoint's TLS: server authentication only. The enrolling agent has no
/// certificate yet; it pins the CA that the presented chain must end in.
public struct EnrolmentServerTLS: Sendable {
    private let context: NIOSSLContext

    /// - Parameter identity: the collector's chain, CA certificate included, and its key.
    public init(identity: TLSIdentity) throws {
        var configuration = TLSSettings.serverConfiguration(presenting: identity)
        configuration.certificateVerification = .none
        context = try NIOSSLContext(configuration: configuration)
    }

    /// A server handler for one connection.
    public func makeHandler() -> NIOSSLServerHandler {
        NIOSSLServerHandler(context: context)
    }
}
