import Foundation
import Logging
import OutpostCore
import OutpostPKI
import OutpostStore
import PostgresNIO
import ServiceLifecycle
import X509

/// Keeps the TLS deny list equal to `revoked_certificates` (serials and agents) and ends live
/// sessions of revoked agents: it loads the list at start, then follows
/// `NOTIFY outpost_revocations` (sent by `agents revoke` in the same transaction as the row) and
/// reloads every minute as a safety net.
public struct RevocationWatcher: Service {
    private let client: PostgresClient
    private let denyList: RevocationDenyList
    private let sessions: SessionRegistry
    private let logger: Logger

    public init(client: PostgresClient, denyList: RevocationDenyList, sessions: SessionRegistry, logger: Logger) {
        self.client = client
        self.denyList = denyList
        self.sessions = sessions
        self.logger = logger
    }

    /// Fills `denyList` from the database once, on a connection of its own: call it before the
    /// agent listener starts, so no revoked agent slips in while the watcher starts up.
    public static func preload(database: DatabaseURL, into denyList: RevocationDenyList, logger: Logger) async throws {
        let connection = try await PostgresConnection.connect(configuration: database.connectionConfiguration(), id: 0, logger: logger)
        do {
            _ = try await load(into: denyList, on: connection, logger: logger)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// Replaces `denyList` with what the database holds; returns the revoked agents.
    private static func load(into denyList: RevocationDenyList, on connection: PostgresConnection, logger: Logger) async throws -> Set<AgentID> {
        let registry = AgentRegistry(logger: logger)
        let serials = try await registry.revokedSerials(on: connection)
        let agents = try await registry.revokedAgents(on: connection)
        denyList.replace(serials: Set(serials.compactMap(Certificate.SerialNumber.init(hexString:))), agents: agents)
        return agents
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await reloadPeriodically() }
                    group.addTask { try await follow() }
                    try await group.next()
                    group.cancelAll()
                }
            }
        } catch is CancellationError {
            // Graceful shutdown: nothing to flush.
        }
    }

    private func reloadPeriodically() async throws {
        while !Task.isCancelled {
            do {
                let agents = try await client.withConnection { [denyList, logger] in try await Self.load(into: denyList, on: $0, logger: logger) }
                sessions.close(agents: agents)
            } catch {
                logger.error("cannot load revoked certificates", metadata: ["error": "\(String(reflecting: error))"])
            }
            try await Task.sleep(for: .seconds(60))
        }
    }

    private func follow() async throws {
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: AgentRegistry.revocationChannel) { notifications in
                        for try await notification in notifications {
                            guard let uuid = UUID(uuidString: notification.payload) else {
                                logger.warning("ignoring a malformed revocation notice", metadata: ["payload": "\(notification.payload.prefix(64))"])
                                continue
                            }
                            let agent = AgentID(uuid)
                            denyList.insert(agent: agent)
                            let closed = sessions.close(agents: [agent])
                            logger.notice("agent revoked", metadata: ["agent": "\(agent)", "sessions_closed": "\(closed)"])
                        }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("revocation listener lost its connection; reconnecting", metadata: ["error": "\(error)"])
                try await Task.sleep(for: .seconds(1))
            }
        }
    }
}
