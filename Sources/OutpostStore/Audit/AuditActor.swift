import Foundation

/// Who made a change and from where, as the audit log records it.
public struct AuditActor: Sendable, Equatable {
    /// The username, or `cli:<os user>` for a command run on the collector's host.
    public var name: String
    /// `users.id` of the user, if a user acted.
    public var userID: Int32?
    /// `api_tokens.id` when the user acted through an API token.
    public var tokenID: UUID?
    /// Where the change came from: `http <address>` or `cli <host>`.
    public var source: String

    /// Creates an actor.
    public init(name: String, userID: Int32? = nil, tokenID: UUID? = nil, source: String) {
        self.name = name
        self.userID = userID
        self.tokenID = tokenID
        self.source = source
    }

    /// The operating-system user running a command of `outpost-collector` on this host.
    public static func commandLine() -> AuditActor {
        let user = getpwuid(geteuid()).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } ?? "uid \(geteuid())"
        return AuditActor(name: "cli:\(user)", source: "cli \(ProcessInfo.processInfo.hostName)")
    }
}
