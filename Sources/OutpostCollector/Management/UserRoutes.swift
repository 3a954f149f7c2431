import Foundation
import Hummingbird
import Logging
import OutpostStore

/// Users and API tokens: `/api/v1/users` (admins), `/api/v1/tokens` (an admin's reach all
/// tokens, other operators their own), `/api/v1/session/password` (one's own password).
struct UserRoutes: Sendable {
    struct NewUser: Decodable {
        let username: String
        let role: OperatorRole
        let regions: [String]?
        let email: String?
        let password: String
    }

    struct UserChange: Decodable {
        let role: OperatorRole?
        let regions: [String]?
        let email: String?
        let active: Bool?
        let password: String?
    }

    struct NewToken: Decodable {
        let name: String
        let username: String?
        let expiresInDays: Int?
    }

    struct CreatedToken: Encodable {
        let token: APITokenStore.Record
        /// The secret, shown once.
        let secret: String
    }

    struct PasswordChange: Decodable {
        let current: String
        let new: String
    }

    let hasher: PasswordHasher
    let logger: Logger

    func register(on api: ManagementAPI) {
        let users = UserDirectory(logger: logger)
        let tokens = APITokenStore(logger: logger)
        let hasher = self.hasher
        api.on(.get, "users", .administer) { _, _, user in
            JSONResponse.make(APIListing(name: "users", items: try await user.run { try await users.list(on: $0) }))
        }
        api.on(.post, "users", .administer) { request, _, user in
            let new = try await RequestBody.decode(NewUser.self, from: request)
            try UserDirectory.validate(username: new.username)
            let hash = try await passwordHash(new.password, hasher)
            let created = try await user.run {
                try await users.add(
                    username: new.username, role: new.role, regions: new.regions ?? [], email: new.email,
                    passwordHash: hash, by: user.actor, on: $0)
            }
            return JSONResponse.make(created, status: .created)
        }
        api.on(.patch, "users/{username}", .administer) { request, context, user in
            let username = context.parameters.get("username") ?? ""
            let change = try await RequestBody.decode(UserChange.self, from: request)
            let hash = try await change.password.asyncMap { try await passwordHash($0, hasher) }
            let updated = try await user.run { connection in
                guard try await users.user(named: username, on: connection) != nil else {
                    throw APIError.notFound("no user \(username)")
                }
                if change.role != nil || change.regions != nil || change.email != nil {
                    _ = try await users.update(
                        username: username, role: change.role, regions: change.regions,
                        email: change.email.map { Optional($0) }, by: user.actor, on: connection)
                }
                if let active = change.active {
                    _ = try await users.setActive(username: username, active, by: user.actor, on: connection)
                }
                if let hash {
                    try await users.setPassword(username: username, passwordHash: hash, by: user.actor, on: connection)
                }
                return try await users.user(named: username, on: connection)
            }
            return JSONResponse.make(updated)
        }
        api.on(.put, "session/password", .read) { request, _, user in
            let change = try await RequestBody.decode(PasswordChange.self, from: request)
            let stored = try await user.run { try await users.credentials(username: user.principal.username, on: $0) }
            guard try await hasher.verify(change.current, hash: stored?.passwordHash) else {
                throw APIError.badRequest("the current password is wrong", field: "current")
            }
            let hash = try await passwordHash(change.new, hasher, field: "new")
            try await user.run {
                try await users.setPassword(
                    username: user.principal.username, passwordHash: hash, by: user.actor, on: $0)
            }
            return Response(status: .noContent)
        }
        api.on(.get, "tokens", .read) { _, _, user in
            let own = AccessPolicy.allows(user.principal.role, .administer) ? nil : user.principal.username
            return JSONResponse.make(
                APIListing(name: "tokens", items: try await user.run { try await tokens.list(username: own, on: $0) }))
        }
        api.on(.post, "tokens", .read) { request, _, user in
            let new = try await RequestBody.decode(NewToken.self, from: request)
            let owner = new.username ?? user.principal.username
            guard owner == user.principal.username || AccessPolicy.allows(user.principal.role, .administer) else {
                throw APIError.forbidden("only an admin creates tokens for other users")
            }
            let expiresAt = try new.expiresInDays.map { days in
                guard (1...3650).contains(days) else {
                    throw APIError.badRequest("1 to 3650 days", field: "expires_in_days")
                }
                return Date().addingTimeInterval(TimeInterval(days) * 86400)
            }
            let secret = OperatorSecret.make(prefix: "opt_")
            let record = try await user.run {
                try await tokens.create(
                    username: owner, name: new.name, secretHash: OperatorSecret.digest(secret), expiresAt: expiresAt,
                    by: user.actor, on: $0)
            }
            return JSONResponse.make(CreatedToken(token: record, secret: secret), status: .created)
        }
        api.on(.delete, "tokens/{id}", .read) { _, context, user in
            let id = try context.parameters.uuid("id")
            let admin = AccessPolicy.allows(user.principal.role, .administer)
            let revoked = try await user.run { connection in
                let own = try await tokens.list(username: user.principal.username, on: connection).contains {
                    $0.id == id
                }
                guard admin || own else { throw APIError.notFound("no token \(id.uuidString.lowercased())") }
                return try await tokens.revoke(id: id, by: user.actor, on: connection)
            }
            guard revoked else { throw APIError.notFound("no live token \(id.uuidString.lowercased())") }
            return Response(status: .noContent)
        }
    }

    private func passwordHash(_ password: String, _ hasher: PasswordHasher, field: String = "password") async throws
        -> String
    {
        do {
            return try await hasher.hash(password)
        } catch let refused as PasswordHasher.Refused {
            throw APIError.badRequest(refused.description, field: field)
        }
    }
}

extension Optional {
    /// `transform` of the wrapped value, awaited, or `nil`.
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
