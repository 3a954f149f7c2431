import Foundation
import Hummingbird
import OutpostConsole
import OutpostStore
import PostgresNIO

/// What a console page's handler gets: the logged-in operator, the database with the request
/// deadline, and the operator's clock; ``frame(title:section:)`` builds the page's frame.
struct ConsoleViewer: Sendable {
    /// The cookie holding the operator's choice of time zone (`Asia/Tbilisi` or `UTC`).
    static let zoneCookie = "outpost_tz"

    let principal: OperatorPrincipal
    let database: BoundedDatabaseAccess
    let timeout: Duration
    let clock: OperatorClock

    /// Runs `work` on a pooled connection with the request deadline.
    func run<Result: Sendable>(_ work: @escaping @Sendable (PostgresConnection) async throws -> Result)
        async throws -> Result
    {
        try await database.run(timeout: timeout, work)
    }

    /// Whether the operator may see or touch an entity in `region`.
    func reaches(_ region: String?) -> Bool {
        AccessPolicy.reaches(principal, region: region)
    }

    /// Whether the operator's role holds `permission`.
    func may(_ permission: Permission) -> Bool {
        AccessPolicy.allows(principal.role, permission)
    }

    /// The frame of a page titled `title` in navigation section `section`.
    func frame(title: String, section: String) -> PageFrame {
        PageFrame(
            title: title, section: section, username: principal.username, role: principal.role.rawValue,
            regions: principal.regionScope.map { Array($0) },
            can: .init(
                operateAlerts: may(.operateAlerts), editDevices: may(.editDevices), administer: may(.administer)),
            clock: clock)
    }
}
