import Foundation
import Hummingbird
import Logging
import OutpostStore

/// Authenticates every management API request before its route runs: an API token
/// (`Authorization: Bearer`) or a login session cookie, whose state-changing requests must also
/// carry the session's CSRF token (`X-CSRF-Token`). A request from another origin (by its
/// `Origin` header) is refused whatever it carries.
struct OperatorAuthenticator: RouterMiddleware {
    typealias Context = OperatorRequestContext

    /// The session cookie's name.
    static let cookieName = "outpost_session"
    /// The cookie holding the session's CSRF token for the console's script (not HttpOnly).
    static let csrfCookieName = "outpost_csrf"
    /// The header carrying the CSRF token.
    static let csrfHeader = "x-csrf-token"

    let database: BoundedDatabaseAccess
    let configuration: OperatorHTTPConfiguration
    let logger: Logger

    func handle(
        _ request: Request, context: OperatorRequestContext,
        next: (Request, OperatorRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            try OriginCheck(allowedOrigins: configuration.publicOrigins).check(request)
            var context = context
            try await authenticate(request, context: &context)
            return try await next(request, context)
        } catch let error as APIError {
            return error.response
        } catch let timedOut as BoundedDatabaseAccess.TimedOut {
            return APIError(status: .serviceUnavailable, message: "database unavailable: \(timedOut)").response
        }
    }

    /// Sets the context's principal and credential, or throws the ``APIError`` to answer (401, 403).
    func authenticate(_ request: Request, context: inout OperatorRequestContext) async throws {
        let timeout = configuration.queryTimeout
        if let authorization = request.headers[.authorization] {
            guard authorization.lowercased().hasPrefix("bearer "), authorization.count < 200 else {
                throw APIError.unauthenticated
            }
            let digest = OperatorSecret.digest(authorization.dropFirst("bearer ".count))
            let source = context.peerAddress
            let store = APITokenStore(logger: logger)
            guard
                let principal = try await database.run(
                    timeout: timeout, { try await store.authenticate(secretHash: digest, source: source, on: $0) })
            else {
                throw APIError(
                    status: .unauthorized, message: "API token unknown, revoked, expired or of a disabled user")
            }
            context.principal = principal
            context.credential = .token
            return
        }
        guard let cookie = request.cookies[Self.cookieName]?.value, cookie.count < 200 else {
            throw APIError.unauthenticated
        }
        let idHash = OperatorSecret.digest(cookie)
        let idle = configuration.sessionIdleTimeout
        let store = LoginSessionStore(logger: logger)
        guard
            let session = try await database.run(
                timeout: timeout, { try await store.authenticate(idHash: idHash, idleTimeout: idle, on: $0) })
        else { throw APIError(status: .unauthorized, message: "session expired or ended: log in again") }
        if !request.method.isSafe {
            guard let token = request.headers.first(where: { $0.name.canonicalName == Self.csrfHeader })?.value,
                token.count < 200,
                OperatorSecret.matches(token, digest: session.csrfHash)
            else {
                throw APIError.forbidden("CSRF token missing or wrong (send the session's csrf_token as X-CSRF-Token)")
            }
        }
        context.principal = session.principal
        context.credential = .session(idHash: idHash, csrfHash: session.csrfHash)
    }
}

extension HTTPRequest.Method {
    /// GET, HEAD and OPTIONS: methods that change nothing.
    var isSafe: Bool { self == .get || self == .head || self == .options }
}
