import Hummingbird
import NIOCore
import OutpostStore

/// The request context of the operator HTTP port: the peer's address and, once
/// ``OperatorAuthenticator`` has run, the operator making the request.
public struct OperatorRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The authenticated operator (`nil` before authentication, or for public routes).
    public var principal: OperatorPrincipal?
    /// How the operator authenticated (`nil`: not yet, or not at all).
    public var credential: OperatorCredential?
    /// The peer's IP address, for the audit log and the brute-force limits.
    public let peerAddress: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// Who is acting, for the audit log.
    var actor: AuditActor? {
        principal.map {
            AuditActor(name: $0.username, userID: $0.userID, tokenID: $0.tokenID, source: "http \(peerAddress)")
        }
    }
}

/// How a request authenticated.
public enum OperatorCredential: Sendable {
    /// A login session cookie: the digest of its CSRF token, checked on state-changing requests.
    case session(idHash: [UInt8], csrfHash: [UInt8])
    /// An API token (`Authorization: Bearer`).
    case token
}
