import Foundation
import Hummingbird
import Logging
import OutpostStore

/// `/api/v1/session`: log in (POST, the only route without authentication), who am I (GET),
/// log out (DELETE).
struct SessionRoutes: Sendable {
    struct Login: Decodable {
        let username: String
        let password: String
    }

    struct LoggedIn: Encodable {
        let username: String
        let role: String
        let regions: [String]
        let csrfToken: String?
        let expiresAt: Date?
        let via: String
    }

    let database: BoundedDatabaseAccess
    let configuration: OperatorHTTPConfiguration
    let hasher: PasswordHasher
    let throttle: LoginThrottle
    let logger: Logger

    func register(on router: Router<OperatorRequestContext>, api: ManagementAPI) {
        router.post("api/v1/session") { request, context in
            do {
                return try await login(request, context: context)
            } catch {
                return ManagementAPI.response(for: error, logger: logger)
            }
        }
        api.recordPublic(.post, "session")
        api.on(.get, "session", .read) { _, context, user in
            let via: String
            if case .session? = context.credential { via = "session" } else { via = "token" }
            return JSONResponse.make(
                LoggedIn(
                    username: user.principal.username, role: user.principal.role.rawValue,
                    regions: user.principal.regions.sorted(), csrfToken: nil, expiresAt: nil, via: via))
        }
        api.on(.delete, "session", .read) { _, context, user in
            guard case .session(let idHash, _)? = context.credential else {
                throw APIError.badRequest("an API token has no session to end (revoke the token instead)")
            }
            let logger = self.logger
            try await user.run { connection in
                try await LoginSessionStore(logger: logger).end(idHash: idHash, on: connection)
                try await AuditLog(logger: logger).append(
                    AuditEntry(action: "logout", entity: "session", entityID: user.principal.username),
                    by: user.actor, on: connection)
            }
            var response = Response(status: .noContent)
            response.setCookie(expiredCookie)
            response.setCookie(expiredCSRFCookie)
            return response
        }
    }

    private func login(_ request: Request, context: OperatorRequestContext) async throws -> Response {
        try OriginCheck(allowedOrigins: configuration.publicOrigins).check(request)
        let source = context.peerAddress
        guard throttle.sources.allows(source) else {
            throw APIError(
                status: .tooManyRequests, message: "too many failed logins from \(source); try again later",
                headers: [.retryAfter: "60"])
        }
        let login = try await RequestBody.decode(Login.self, from: request)
        let username = String(login.username.prefix(UserDirectory.maximumUsernameLength + 1))
        let users = UserDirectory(logger: logger)
        let credentials = try await database.run(timeout: configuration.queryTimeout) {
            try await users.credentials(username: username, on: $0)
        }
        if let credentials,
            let wait = LoginThrottle.userDelay(
                failures: credentials.failedLogins, lastFailure: credentials.lastFailedLogin, now: Date())
        {
            throw APIError(
                status: .tooManyRequests,
                message: "too many failed logins for this user; try again in \(Int(wait.rounded(.up))) s",
                headers: [.retryAfter: "\(Int(wait.rounded(.up)))"])
        }
        let matches = try await hasher.verify(login.password, hash: credentials?.passwordHash)
        guard let credentials, matches, credentials.isActive else {
            throttle.sources.recordFailure(source)
            // Only a well-formed name is recorded: the audit log is read on terminals, and a name
            // from the network could carry control characters.
            let name = (try? UserDirectory.validate(username: username)) != nil ? username : "(malformed username)"
            let attempted = AuditActor(name: name, source: "http \(source)")
            try await database.run(timeout: configuration.queryTimeout) { connection in
                if let credentials, !matches {
                    try await users.recordFailedLogin(userID: credentials.id, on: connection)
                }
                try await AuditLog(logger: logger).append(
                    AuditEntry(
                        action: "login_failed", entity: "session", entityID: name),
                    by: attempted, on: connection)
            }
            throw APIError(status: .unauthorized, message: "wrong username or password, or user disabled")
        }
        let sessionID = OperatorSecret.make()
        let csrfToken = OperatorSecret.make()
        let expiresAt = Date().addingTimeInterval(TimeInterval(configuration.sessionLifetime.components.seconds))
        let principal = try await database.run(timeout: configuration.queryTimeout) { connection in
            try await users.recordLogin(userID: credentials.id, on: connection)
            try await LoginSessionStore(logger: logger).create(
                userID: credentials.id, idHash: OperatorSecret.digest(sessionID),
                csrfHash: OperatorSecret.digest(csrfToken), expiresAt: expiresAt, source: source, on: connection)
            try await AuditLog(logger: logger).append(
                AuditEntry(action: "login", entity: "session", entityID: credentials.username),
                by: AuditActor(name: credentials.username, userID: credentials.id, source: "http \(source)"),
                on: connection)
            return try await users.user(named: credentials.username, on: connection)
        }
        var response = JSONResponse.make(
            LoggedIn(
                username: credentials.username, role: principal?.role.rawValue ?? "viewer",
                regions: principal?.regions ?? [], csrfToken: csrfToken, expiresAt: expiresAt, via: "session"))
        response.setCookie(
            Cookie(
                name: OperatorAuthenticator.cookieName, value: sessionID,
                maxAge: Int(configuration.sessionLifetime.components.seconds), path: "/",
                secure: configuration.secureCookies, httpOnly: true, sameSite: .strict))
        // The console's script reads the CSRF token from here to send it back as X-CSRF-Token;
        // another origin can neither read the cookie nor set the header.
        response.setCookie(
            Cookie(
                name: OperatorAuthenticator.csrfCookieName, value: csrfToken,
                maxAge: Int(configuration.sessionLifetime.components.seconds), path: "/",
                secure: configuration.secureCookies, httpOnly: false, sameSite: .strict))
        return response
    }

    private var expiredCookie: Cookie {
        Cookie(
            name: OperatorAuthenticator.cookieName, value: "", maxAge: 0, path: "/",
            secure: configuration.secureCookies, httpOnly: true, sameSite: .strict)
    }

    private var expiredCSRFCookie: Cookie {
        Cookie(
            name: OperatorAuthenticator.csrfCookieName, value: "", maxAge: 0, path: "/",
            secure: configuration.secureCookies, httpOnly: false, sameSite: .strict)
    }
}
