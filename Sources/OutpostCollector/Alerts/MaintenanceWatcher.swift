import Foundation
import Logging
import OutpostStore
import PostgresNIO
import Synchronization

/// The maintenance windows as the alert engine sees them: read again every `refreshInterval`,
/// whenever a window is created or ended (NOTIFY on `MaintenanceWindowStore.changeChannel`), and
/// each time that listener listens again after losing its connection.
///
/// Windows over for more than `lookBack` are not kept: samples that much older than the clock
/// (an agent's spool replayed late) are judged without them.
final class MaintenanceWatcher: Sendable {
    /// How far into the past windows are kept.
    static let lookBack: TimeInterval = 86_400

    private let client: PostgresClient
    private let refreshInterval: Duration
    private let logger: Logger
    private let store: MaintenanceWindowStore
    /// The windows last read, the number of the read they come from, and the last number given.
    private let state = Mutex((coverage: MaintenanceCoverage(), read: 0, issued: 0))

    /// A watcher reading through `client` (which must be running).
    init(client: PostgresClient, refreshInterval: Duration, logger: Logger) {
        self.client = client
        self.refreshInterval = refreshInterval
        self.logger = logger
        store = MaintenanceWindowStore(logger: logger)
    }

    /// The windows last read.
    var coverage: MaintenanceCoverage { state.withLock { $0.coverage } }

    /// Keeps ``coverage`` up to date until cancelled (``load()`` reads it the first time).
    func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.refreshPeriodically() }
            group.addTask {
                let listener = PostgresChannelListener(
                    client: self.client, channel: MaintenanceWindowStore.changeChannel, logger: self.logger)
                await listener.run(listening: { try await self.refresh() }, received: { _ in await self.load() })
            }
        }
    }

    private func refreshPeriodically() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: refreshInterval)
            } catch {
                return
            }
            await load()
        }
    }

    /// Reads the windows now; a failure is logged and the previous ones stay in force.
    func load() async {
        do {
            try await refresh()
        } catch {
            logger.error(
                "maintenance windows reload failed; the previous ones stay in force",
                metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    /// Reads the windows. Reads overlap (periodic and announced ones), so each is numbered when
    /// it starts and kept only if no later-started read was kept already: a read started after a
    /// change was announced is never replaced by one that may predate the change.
    private func refresh() async throws {
        let number = state.withLock {
            $0.issued += 1
            return $0.issued
        }
        let from = Date().addingTimeInterval(-Self.lookBack)
        let coverage = try await client.withConnection(timeout: PostgresClient.callTimeout) { [store] in
            try await store.coverage(from: from, on: $0)
        }
        state.withLock {
            guard number > $0.read else { return }
            $0.coverage = coverage
            $0.read = number
        }
    }
}
