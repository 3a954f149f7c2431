import Foundation
import Logging
import OutpostStore
import PostgresNIO
import ServiceLifecycle

/// Pushes configuration changes to connected agents: follows
/// `LISTEN outpost_config_changed` (migration 4's triggers name the branch, or all), gathers the
/// branches named within a short coalescing window, and signals those branches' sessions,
/// which recompute their snapshot and send it when its version changed.
///
/// The listener (``PostgresChannelListener``) re-listens after a lost or frozen connection, and
/// each time it (re)starts listening it signals every session: changes committed while it was
/// not listening were never delivered to it.
public struct ConfigChangeWatcher: Service {
    private let subscribers: ConfigSubscribers
    private let coalescingWindow: Duration
    private let listener: PostgresChannelListener
    private let logger: Logger

    /// Changes are gathered this long after the first one (300 ms): short beside the 5 s the
    /// agents have to follow a change, long beside a scripted burst of updates.
    public static let defaultCoalescingWindow: Duration = .milliseconds(300)

    /// - Parameters:
    ///   - coalescingWindow: how long changes are gathered after the first one before the
    ///     sessions are signalled; a burst of updates inside it costs one recomputation.
    ///   - listenerTiming: the listener's time limits and pause before listening again.
    public init(
        client: PostgresClient, subscribers: ConfigSubscribers, coalescingWindow: Duration = defaultCoalescingWindow,
        listenerTiming: PostgresChannelListener.Timing = .init(), logger: Logger
    ) {
        self.subscribers = subscribers
        self.coalescingWindow = coalescingWindow
        listener = PostgresChannelListener(
            client: client, channel: BranchConfigStore.changeChannel, timing: listenerTiming, logger: logger)
        self.logger = logger
    }

    public func run() async throws {
        let pending = PendingConfigChanges()
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { await follow(into: pending) }
                    group.addTask { try await dispatch(pending) }
                    try await group.next()
                    group.cancelAll()
                }
            }
        } catch is CancellationError {
            // Graceful shutdown: sessions end with the listener.
        }
    }

    /// Records the branches each notice names, and every branch whenever listening (re)starts.
    private func follow(into pending: PendingConfigChanges) async {
        await listener.run(
            listening: { pending.addAll() },
            received: { [logger] payload in
                do {
                    switch try ConfigChangeNotice(payload: payload) {
                    case .branch(let branch): pending.add(branch: branch)
                    case .allBranches: pending.addAll()
                    }
                } catch {
                    logger.warning(
                        "unreadable configuration change notice; rechecking every session",
                        metadata: ["payload": "\(payload.prefix(200))"])
                    pending.addAll()
                }
            })
    }

    /// Signals sessions once per coalescing window that saw changes.
    private func dispatch(_ pending: PendingConfigChanges) async throws {
        for await _ in pending.wakes {
            try await Task.sleep(for: coalescingWindow)
            switch pending.take() {
            case nil:
                continue
            case .all:
                let sessions = subscribers.notifyAll()
                logger.debug("configuration recheck of every session", metadata: ["sessions": "\(sessions)"])
            case .branches(let branches):
                let sessions = subscribers.notify(branches: branches)
                logger.debug(
                    "configuration changed", metadata: ["branches": "\(branches.count)", "sessions": "\(sessions)"])
            }
        }
    }
}
