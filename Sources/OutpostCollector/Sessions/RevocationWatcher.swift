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
/// `NOTIFY outpost_revocations` (sent by `agents revoke` in the same transaction as the rows) and
/// reloads every `reloadInterval` as a safety net.
///
/// Every database call has a time limit. The listener (``PostgresChannelListener``) re-listens
/// after a lost or frozen connection and reloads the whole list each time it (re)starts
/// listening: a revocation committed while it was not listening is never missed for longer
/// than it takes to listen again.
public struct RevocationWatcher: Service {
    private let client: PostgresClient
    private let denyList: RevocationDenyList
    private let sessions: SessionRegistry
    private let reloadInterval: Duration
    private let listener: PostgresChannelListener
    private let logger: Logger

    /// - Parameters:
    ///   - reloadInterval: how often the list is reloaded besides notifications (60 s).
    ///   - listenerTiming: the listener's time limits; its timeout also bounds each reload.
    public init(
        client: PostgresClient, denyList: RevocationDenyList, sessions: SessionRegistry,
        reloadInterval: Duration = .seconds(60),
        listenerTiming: PostgresChannelListener.Timing = .init(), logger: Logger
    ) {
        self.client = client
        self.denyList = denyList
        self.sessions = sessions
        self.reloadInterval = reloadInterval
        listener = PostgresChannelListener(
            client: client, channel: AgentRegistry.revocationChannel, timing: listenerTiming, logger: logger)
        self.logger = logger
    }

    /// Fills `denyList` from the database once, on a connection of its own, within `timeout`:
    /// call it before the agent listener starts, so no revoked agent slips in while the watcher
    /// starts up.
    public static func preload(
        database: DatabaseURL, into denyList: RevocationDenyList, timeout: Duration = PostgresClient.callTimeout,
        logger: Logger
    ) async throws {
        let lease = ConnectionLease()
        try await Deadline.run(timeout: timeout, abandon: { lease.abandon() }) {
            let connection = try await PostgresConnection.connect(
                configuration: database.connectionConfiguration(), id: 0, logger: logger)
            do {
                try lease.attach(connection)
                _ = try await load(into: denyList, on: connection, logger: logger)
                try await connection.close()
            } catch {
                try? await connection.close()
                throw error
            }
        }
    }

    /// Replaces `denyList` with what the database holds; returns the revoked agents.
    private static func load(into denyList: RevocationDenyList, on connection: PostgresConnection, logger: Logger)
        async throws -> Set<AgentID>
    {
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
                    group.addTask { await follow() }
                    try await group.next()
                    group.cancelAll()
                }
            }
        } catch is CancellationError {
            // Graceful shutdown: nothing to flush.
        }
    }

    /// Reloads the deny list and closes the sessions of every revoked agent.
    private func reload() async throws {
        let agents = try await client.withConnection(timeout: listener.timing.timeout) { [denyList, logger] in
            try await Self.load(into: denyList, on: $0, logger: logger)
        }
        sessions.close(agents: agents)
    }

    private func reloadPeriodically() async throws {
        while !Task.isCancelled {
            do {
                try await reload()
            } catch {
                logger.error("cannot load revoked certificates", metadata: ["error": "\(String(reflecting: error))"])
            }
            try await Task.sleep(for: reloadInterval)
        }
    }

    /// Applies each revocation notice; reloads the whole list whenever listening (re)starts.
    private func follow() async {
        await listener.run(
            listening: { try await reload() },
            received: { [denyList, sessions, logger] payload in
                guard let uuid = UUID(uuidString: payload) else {
                    logger.warning(
                        "ignoring a malformed revocation notice", metadata: ["payload": "\(payload.prefix(64))"])
                    return
                }
                let agent = AgentID(uuid)
                denyList.insert(agent: agent)
                let closed = sessions.close(agents: [agent])
                logger.notice("agent revoked", metadata: ["agent": "\(agent)", "sessions_closed": "\(closed)"])
            })
    }
}
