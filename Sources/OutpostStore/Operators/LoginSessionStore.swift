import Foundation
import Logging
import PostgresNIO

/// Server-side login sessions (`user_sessions`): a session is valid while it has not ended, has
/// been used within the idle timeout, is before its absolute expiry, and its user is active, so
/// logging out, disabling a user or changing their password or role ends it at once.
///
/// Only SHA-256 digests of the session id and its CSRF token are stored.
public struct LoginSessionStore: Sendable {
    /// A session and its operator, as a request sees them.
    public struct Session: Sendable {
        public let principal: OperatorPrincipal
        public let csrfHash: [UInt8]
        public let expiresAt: Date
    }

    private let logger: Logger

    /// Creates a store logging to `logger`.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// Records a new session of user `userID` ending at `expiresAt` at the latest.
    public func create(
        userID: Int32, idHash: [UInt8], csrfHash: [UInt8], expiresAt: Date, source: String,
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO user_sessions (id_hash, user_id, csrf_hash, expires_at, source)
            VALUES (\(Data(idHash)), \(userID), \(Data(csrfHash)), \(expiresAt), \(String(source.prefix(64))))
            """, logger: logger)
    }

    /// The live session whose id hashes to `idHash`, touched (its idle timer restarted), or `nil`.
    public func authenticate(idHash: [UInt8], idleTimeout: Duration, on connection: PostgresConnection) async throws
        -> Session?
    {
        let idleSeconds = Double(idleTimeout.components.seconds)
        let rows = try await connection.query(
            """
            UPDATE user_sessions s SET last_seen_at = now()
            FROM users u
            WHERE s.id_hash = \(Data(idHash)) AND u.id = s.user_id AND u.is_active
              AND s.ended_at IS NULL AND s.expires_at > now()
              AND s.last_seen_at > now() - make_interval(secs => \(idleSeconds))
            RETURNING u.id, u.username, u.role,
                COALESCE((SELECT array_agg(region) FROM user_regions WHERE user_id = u.id), '{}'),
                s.csrf_hash, s.expires_at
            """, logger: logger)
        for try await (id, username, role, regions, csrf, expires) in rows.decode(
            (Int32, String, String, [String], Data, Date).self)
        {
            guard let role = OperatorRole(rawValue: role) else { return nil }
            return Session(
                principal: OperatorPrincipal(userID: id, username: username, role: role, regions: Set(regions)),
                csrfHash: Array(csrf), expiresAt: expires)
        }
        return nil
    }

    /// Ends the session whose id hashes to `idHash` (logout).
    public func end(idHash: [UInt8], on connection: PostgresConnection) async throws {
        try await connection.query(
            "UPDATE user_sessions SET ended_at = now() WHERE id_hash = \(Data(idHash)) AND ended_at IS NULL",
            logger: logger)
    }

    /// Deletes sessions that ended or expired more than a day ago.
    public func purge(on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            DELETE FROM user_sessions
            WHERE COALESCE(ended_at, expires_at) < now() - interval '1 day'
               OR last_seen_at < now() - interval '30 days'
            """, logger: logger)
    }
}
