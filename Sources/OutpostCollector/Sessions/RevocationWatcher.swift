import Logging
import OutpostPKI
import OutpostStore
import PostgresNIO
import ServiceLifecycle
import X509

/// Keeps the TLS deny list equal to `revoked_certificates` and ends live sessions of revoked
/// certificates: it loads the list at start, then follows `NOTIFY outpost_revocations` (sent by
/// `agents revoke` in the same transaction as the row) and reloads every minute as a safety net.
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
            let serials = try await AgentRegistry(logger: logger).revokedSerials(on: connection)
            denyList.replace(with: Set(serials.compactMap(Certificate.SerialNumber.init(hexString:))))
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
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
        let registry = AgentRegistry(logger: logger)
        while !Task.isCancelled {
            do {
                let serials = try await client.withConnection { try await registry.revokedSerials(on: $0) }
                let parsed = Set(serials.compactMap(Certificate.SerialNumber.init(hexString:)))
                denyList.replace(with: parsed)
                sessions.close(serials: parsed)
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
                            guard let serial = Certificate.SerialNumber(hexString: notification.payload) else { continue }
                            denyList.insert(serial)
                            let closed = sessions.close(serials: [serial])
                            logger.notice("certificate revoked", metadata: ["serial": "\(notification.payload)", "sessions_closed": "\(closed)"])
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
