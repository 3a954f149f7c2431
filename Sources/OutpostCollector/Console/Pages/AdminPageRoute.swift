import Foundation
import Logging
import OutpostConsole
import OutpostStore

/// `/admin` (permission `administer`): users, API tokens and the audit log. The buttons and the
/// form call `PATCH /api/v1/users/{username}`, `POST /api/v1/users` and
/// `DELETE /api/v1/tokens/{id}`.
struct AdminPageRoute: Sendable {
    /// Audit entries a page lists.
    static let auditPageSize = 50

    let logger: Logger

    func register(on site: ConsoleSite) {
        let users = UserDirectory(logger: logger)
        let tokens = APITokenStore(logger: logger)
        let audit = AuditLogBrowser(logger: logger)
        site.page("/admin", .administer) { request, _, viewer in
            let query = PageQuery(request)
            let actor = try query.text("actor", maximumLength: AuditLogBrowser.maximumFilterLength)
            let action = try query.text("action", maximumLength: AuditLogBrowser.maximumFilterLength)
            let before = try query.integer("before", in: 1...Int(Int64.max)).map(Int64.init)
            let (userList, tokenList, entries) = try await viewer.run { connection in
                (
                    try await users.list(on: connection), try await tokens.list(on: connection),
                    try await audit.page(
                        actor: actor, action: action, before: before, limit: Self.auditPageSize, on: connection)
                )
            }
            let clock = viewer.clock
            let now = Date()
            let page = AdminPage(
                frame: viewer.frame(title: "Administration", section: "admin"),
                users: userList.map { user in
                    .init(
                        username: user.username, email: user.email, role: user.role.rawValue, regions: user.regions,
                        limited: user.role == .regionalManager, lastLogin: user.lastLogin.map(clock.dateTime),
                        active: user.isActive, isSelf: user.username == viewer.principal.username)
                },
                roles: OperatorRole.allCases.map(\.rawValue),
                tokens: tokenList.map { token in
                    .init(
                        id: token.id.uuidString.lowercased(), name: token.name, owner: token.username,
                        created: clock.dateTime(token.createdAt), expires: token.expiresAt.map(clock.dateTime),
                        lastUsed: token.lastUsedAt.map(clock.dateTime), lastUsedFrom: token.lastUsedFrom,
                        state: token.revokedAt != nil
                            ? "revoked" : (token.expiresAt.map { $0 <= now } ?? false) ? "expired" : "live")
                },
                audit: entries.entries.map { entry in
                    .init(
                        id: entry.id, at: clock.dateTime(entry.at), actor: entry.actor, source: entry.source,
                        action: entry.action, entity: entry.entity, entityID: entry.entityID,
                        changes: entry.changesJSON)
                },
                auditActor: actor, auditAction: action,
                olderHref: entries.nextBefore.map { next in
                    PageQuery.link("/admin", [("actor", actor), ("action", action), ("before", String(next))])
                },
                newestHref: before == nil ? nil : PageQuery.link("/admin", [("actor", actor), ("action", action)]))
            return HTMLResponse.page(page)
        }
    }
}
