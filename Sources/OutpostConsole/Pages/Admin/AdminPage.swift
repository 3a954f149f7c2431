/// `/admin`: users with their enable and disable buttons and a form to add one, API tokens with
/// their revoke buttons, and the audit log a page at a time. Admins only.
public struct AdminPage: ConsolePage {
    public static let template = "admin"

    /// One user's line.
    public struct UserLine: Sendable {
        public let username: String
        public let email: String?
        public let role: String
        /// Comma separated; `all` for roles without a region limit.
        public let regions: String
        public let lastLogin: String?
        public let active: Bool
        /// The logged-in admin's own account: not disabled from here.
        public let isSelf: Bool
        /// `{"active":false}` or `{"active":true}`: the body of the button's PATCH.
        public let toggleBody: String

        public init(
            username: String, email: String?, role: String, regions: [String], limited: Bool, lastLogin: String?,
            active: Bool, isSelf: Bool
        ) {
            self.username = username
            self.email = email
            self.role = role
            self.regions = limited ? (regions.isEmpty ? "none" : regions.joined(separator: ", ")) : "all"
            self.lastLogin = lastLogin
            self.active = active
            self.isSelf = isSelf
            self.toggleBody = active ? #"{"active":false}"# : #"{"active":true}"#
        }
    }

    /// One API token's line.
    public struct TokenLine: Sendable {
        public let id: String
        public let name: String
        public let owner: String
        public let created: String
        public let expires: String?
        public let lastUsed: String?
        public let lastUsedFrom: String?
        /// `live`, `expired` or `revoked`.
        public let state: String
        public let live: Bool

        public init(
            id: String, name: String, owner: String, created: String, expires: String?, lastUsed: String?,
            lastUsedFrom: String?, state: String
        ) {
            self.id = id
            self.name = name
            self.owner = owner
            self.created = created
            self.expires = expires
            self.lastUsed = lastUsed
            self.lastUsedFrom = lastUsedFrom
            self.state = state
            self.live = state == "live"
        }
    }

    /// One audit entry's line.
    public struct AuditLine: Sendable {
        public let id: String
        public let at: String
        public let actor: String
        public let source: String
        public let action: String
        public let entity: String
        public let entityID: String?
        /// The changes as stored (JSON).
        public let changes: String

        public init(
            id: Int64, at: String, actor: String, source: String, action: String, entity: String, entityID: String?,
            changes: String
        ) {
            self.id = String(id)
            self.at = at
            self.actor = actor
            self.source = source
            self.action = action
            self.entity = entity
            self.entityID = entityID
            self.changes = changes
        }
    }

    /// A role offered by the form.
    public struct RoleOption: Sendable {
        public let value: String
        public init(value: String) { self.value = value }
    }

    public let frame: PageFrame
    public let users: [UserLine]
    public let roles: [RoleOption]
    public let tokens: [TokenLine]
    public let audit: [AuditLine]
    public let auditActor: String
    public let auditAction: String
    /// The link to the next (older) page of the audit log, if any.
    public let olderHref: String?
    /// The link back to the newest entries, when not on them.
    public let newestHref: String?

    public init(
        frame: PageFrame, users: [UserLine], roles: [String], tokens: [TokenLine], audit: [AuditLine],
        auditActor: String?, auditAction: String?, olderHref: String?, newestHref: String?
    ) {
        self.frame = frame
        self.users = users
        self.roles = roles.map(RoleOption.init)
        self.tokens = tokens
        self.audit = audit
        self.auditActor = auditActor ?? ""
        self.auditAction = auditAction ?? ""
        self.olderHref = olderHref
        self.newestHref = newestHref
    }
}
