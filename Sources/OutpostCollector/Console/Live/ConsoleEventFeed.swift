import Logging
import OutpostStore
import PostgresNIO
import ServiceLifecycle

/// The collector's one `LISTEN outpost_console` (migration 17's triggers), fanned out to the
/// open console event streams through ``broadcaster``, and their keep-alive clock.
///
/// The listener (``PostgresChannelListener``) listens again after a lost or frozen connection
/// (a PostgreSQL restart); each time it starts listening it tells every stream to resync, since
/// changes committed while it was not listening never reached it. At graceful shutdown the
/// streams end (docs/architecture.md, "Console live updates").
struct ConsoleEventFeed: Service {
    /// Pause between keep-alive comments on a quiet stream (15 s): well inside the idle
    /// timeouts of proxies, and how soon a stream to a vanished browser is noticed.
    static let defaultKeepAliveInterval: Duration = .seconds(15)

    /// Where the streams subscribe.
    let broadcaster: ConsoleBroadcaster
    private let listener: PostgresChannelListener
    private let keepAliveInterval: Duration
    private let logger: Logger

    init(
        client: PostgresClient, limits: ConsoleBroadcaster.Limits = .init(),
        keepAliveInterval: Duration = defaultKeepAliveInterval,
        listenerTiming: PostgresChannelListener.Timing = .init(),
        logger: Logger
    ) {
        broadcaster = ConsoleBroadcaster(limits: limits)
        listener = PostgresChannelListener(
            client: client, channel: ConsoleChange.channel, timing: listenerTiming, logger: logger)
        self.keepAliveInterval = keepAliveInterval
        self.logger = logger
    }

    func run() async throws {
        defer { broadcaster.close() }
        let (broadcaster, listener, keepAliveInterval, logger) = (
            self.broadcaster, self.listener, self.keepAliveInterval, self.logger
        )
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    await listener.run(
                        listening: { broadcaster.resyncAll() },
                        received: { payload in
                            do {
                                broadcaster.publish(try ConsoleChange(payload: payload))
                            } catch {
                                logger.warning(
                                    "unreadable console change notice; every console page resyncs",
                                    metadata: ["payload": "\(payload.prefix(200))", "error": "\(error)"])
                                broadcaster.resyncAll()
                            }
                        })
                }
                group.addTask {
                    while (try? await Task.sleep(for: keepAliveInterval)) != nil { broadcaster.keepAlive() }
                }
                await group.next()
                group.cancelAll()
            }
        }
    }
}
