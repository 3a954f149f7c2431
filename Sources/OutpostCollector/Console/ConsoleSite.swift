import Foundation
import Hummingbird
import Logging
import OutpostConsole
import OutpostStore

/// Registers the console's pages: each behind the same authentication as the management API
/// (the login session's cookie), with the permission it requires. A request without a valid
/// session is sent to the login page, which comes back to the page asked for.
struct ConsoleSite {
    typealias Handler = @Sendable (Request, OperatorRequestContext, ConsoleViewer) async throws -> Response

    let router: Router<OperatorRequestContext>
    let database: BoundedDatabaseAccess
    let configuration: OperatorHTTPConfiguration
    let logger: Logger

    /// Registers `handler` for `GET path` (`:name` for parameters), for operators holding `permission`.
    func page(_ path: String, _ permission: Permission = .read, _ handler: @escaping Handler) {
        let authenticator = OperatorAuthenticator(database: database, configuration: configuration, logger: logger)
        let (database, configuration, logger) = (self.database, self.configuration, self.logger)
        let timeout = configuration.queryTimeout
        router.get(RouterPath(path)) { request, context -> Response in
            var context = context
            do {
                try OriginCheck(allowedOrigins: configuration.publicOrigins).check(request)
                try await authenticator.authenticate(request, context: &context)
            } catch let error as APIError where error.status == .unauthorized {
                return HTMLResponse.redirect(to: Self.loginPath(returningTo: request.uri.description))
            } catch {
                return Self.errorPage(error, logger: logger)
            }
            guard let principal = context.principal else {
                return HTMLResponse.redirect(to: Self.loginPath(returningTo: request.uri.description))
            }
            guard AccessPolicy.allows(principal.role, permission) else {
                return Self.errorPage(
                    APIError.forbidden("your role (\(principal.role.rawValue)) may not \(permission.rawValue)"),
                    logger: logger)
            }
            let viewer = ConsoleViewer(
                principal: principal, database: database, timeout: timeout,
                clock: OperatorClock(cookie: request.cookies[ConsoleViewer.zoneCookie]?.value))
            do {
                return try await handler(request, context, viewer)
            } catch {
                return Self.errorPage(error, logger: logger)
            }
        }
    }

    /// `/login?next=…` coming back to `uri` (a path and query).
    static func loginPath(returningTo uri: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        let next = uri.addingPercentEncoding(withAllowedCharacters: allowed) ?? "/"
        return "/login?next=" + next
    }

    /// A page saying what went wrong, with the status the API would answer.
    static func errorPage(_ error: any Error, logger: Logger) -> Response {
        let response = ManagementAPI.response(for: error, logger: logger)
        let message: String
        if let error = error as? APIError {
            message = error.message
        } else if let error = error as? InputError {
            message = error.description
        } else if let error = error as? any NotFoundError {
            message = error.description
        } else {
            message = "the page could not be built (details in the collector's log)"
        }
        return HTMLResponse.page(
            ErrorPage(status: Int(response.status.code), message: message), status: response.status)
    }
}
