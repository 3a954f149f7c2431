import Hummingbird
import Logging
import OutpostStore
import PostgresNIO

/// One route of the management API, as documented in `docs/openapi.json`.
public struct ManagementRoute: Sendable, Hashable {
    public let method: String
    /// The path with `{name}` for parameters, e.g. `/api/v1/devices/{id}`.
    public let path: String
    /// `nil` for the login route, which needs no authentication.
    public let permission: Permission?
}

/// Registers the routes of `/api/v1` behind ``OperatorAuthenticator``, each with the permission
/// it requires, checked before its handler runs; errors become JSON answers with their status.
final class ManagementAPI {
    typealias Handler = @Sendable (Request, OperatorRequestContext, Operator) async throws -> Response

    /// What a handler gets: the operator, the database with a deadline, and the audit actor.
    struct Operator: Sendable {
        let principal: OperatorPrincipal
        let actor: AuditActor
        let database: BoundedDatabaseAccess
        let timeout: Duration

        /// Runs `work` on a pooled connection with the request deadline.
        func run<Result: Sendable>(_ work: @escaping @Sendable (PostgresConnection) async throws -> Result)
            async throws -> Result
        {
            try await database.run(timeout: timeout, work)
        }

        /// Throws 403 unless the operator reaches `region`.
        func requireReach(_ region: String?, _ what: @autoclosure () -> String) throws {
            guard AccessPolicy.reaches(principal, region: region) else {
                throw APIError.forbidden("\(what()) is outside your regions")
            }
        }
    }

    private let group: RouterGroup<OperatorRequestContext>
    private let database: BoundedDatabaseAccess
    private let timeout: Duration
    let logger: Logger

    init(
        router: Router<OperatorRequestContext>, database: BoundedDatabaseAccess,
        configuration: OperatorHTTPConfiguration, logger: Logger
    ) {
        self.group = router.group("api/v1").add(
            middleware: OperatorAuthenticator(database: database, configuration: configuration, logger: logger))
        self.database = database
        self.timeout = configuration.queryTimeout
        self.logger = logger
    }

    /// The routes registered so far.
    private(set) var routes: [ManagementRoute] = []

    /// Registers `handler` for `method` on `path` (relative to `/api/v1`, `{name}` for
    /// parameters), callable by operators holding `permission`.
    func on(_ method: HTTPRequest.Method, _ path: String, _ permission: Permission, _ handler: @escaping Handler) {
        routes.append(ManagementRoute(method: method.rawValue, path: "/api/v1/" + path, permission: permission))
        let routerPath = RouterPath(path.replacing(/\{(\w+)\}/) { ":" + $0.1 })
        let database = self.database
        let timeout = self.timeout
        let logger = self.logger
        group.on(routerPath, method: method) { request, context -> Response in
            guard let principal = context.principal, let actor = context.actor else {
                return APIError.unauthenticated.response
            }
            guard AccessPolicy.allows(principal.role, permission) else {
                return APIError.forbidden("your role (\(principal.role.rawValue)) may not \(permission.rawValue)")
                    .response
            }
            do {
                return try await handler(
                    request, context,
                    Operator(principal: principal, actor: actor, database: database, timeout: timeout))
            } catch {
                return Self.response(for: error, logger: logger)
            }
        }
    }

    /// Records a route registered outside the authenticated group (login).
    func recordPublic(_ method: HTTPRequest.Method, _ path: String) {
        routes.append(ManagementRoute(method: method.rawValue, path: "/api/v1/" + path, permission: nil))
    }

    /// The answer for a handler's error: its own status for API and input errors, 503 for the
    /// database (details logged, not sent).
    static func response(for error: any Error, logger: Logger) -> Response {
        switch error {
        case let error as APIError: return error.response
        case let error as InputError:
            return APIError(
                status: .badRequest, message: error.description, field: error.field, position: error.position
            )
            .response
        case let error as any NotFoundError: return APIError.notFound(error.description).response
        case let error as any APIAnswerable: return error.apiError.response
        case let timedOut as BoundedDatabaseAccess.TimedOut:
            return APIError(status: .serviceUnavailable, message: "database unavailable: \(timedOut)").response
        default:
            logger.warning("management API request failed", metadata: ["error": "\(String(reflecting: error))"])
            return APIError(
                status: .serviceUnavailable,
                message: "database unavailable: the request failed (details in the collector's log)"
            ).response
        }
    }
}

/// A store's error for an id that names nothing (404).
protocol NotFoundError: Error, CustomStringConvertible {}

/// A store's error that knows its answer (e.g. 404 for one case, 409 for another).
protocol APIAnswerable: Error {
    var apiError: APIError { get }
}
