import Foundation
import Logging
import PostgresNIO

/// `alert_leases`: which collector evaluates the alerts of a scope (a branch, or a device
/// without branch). A lease is held by renewing it before it expires; an expired lease is
/// taken by the next collector that asks, so with several collectors each scope, and so each
/// (rule, device) pair, is evaluated by one of them.
public struct AlertLeaseStore: Sendable {
    private let logger: Logger

    /// Creates a store logging to `logger`.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// Takes or renews the leases on `scopes` for `owner` until `seconds` from now (database
    /// time); returns the scopes `owner` holds afterwards. A scope held by another owner whose
    /// lease has not expired is left to it. One statement: concurrent callers are serialised
    /// on the lease rows.
    public func acquire(_ scopes: [UUID], owner: String, seconds: Double, on connection: PostgresConnection)
        async throws -> Set<UUID>
    {
        guard !scopes.isEmpty else { return [] }
        let rows = try await connection.query(
            """
            INSERT INTO alert_leases (scope_id, owner, expires_at)
            SELECT scope, \(owner), now() + make_interval(secs => \(seconds)) FROM unnest(\(scopes)::uuid[]) scope
            ON CONFLICT (scope_id) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
            WHERE alert_leases.owner = EXCLUDED.owner OR alert_leases.expires_at < now()
            RETURNING scope_id
            """, logger: logger)
        var held = Set<UUID>()
        for try await scope in rows.decode(UUID.self) { held.insert(scope) }
        return held
    }
}
