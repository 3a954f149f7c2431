import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import OutpostStore
import PostgresNIO
import Synchronization

/// Delivers alert webhooks off the evaluation path: a bounded queue consumed by one task per
/// notification, each retrying with exponential backoff and recording every attempt in
/// `alert_history.notifications_sent`. A dead endpoint delays only its own notifications.
final class WebhookNotifier: Sendable {
    /// Retry policy and limits.
    struct Configuration: Sendable {
        /// Attempts per notification, the first included.
        var maxAttempts = 5
        /// Wait before the second attempt; doubled for each further one.
        var initialBackoff: Duration = .seconds(1)
        /// One attempt is abandoned after this long.
        var requestTimeout: TimeInterval = 10
        /// Notifications waiting for delivery; more are dropped and counted.
        var queueCapacity = 10_000
    }

    private let configuration: Configuration
    private let store: AlertRuleStore
    private let logger: Logger
    private let stream: AsyncStream<AlertNotification>
    private let continuation: AsyncStream<AlertNotification>.Continuation
    private let dropped = Atomic(0)

    init(configuration: Configuration, store: AlertRuleStore, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.logger = logger
        (stream, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingOldest(configuration.queueCapacity))
    }

    /// Notifications dropped because the queue was full.
    var droppedNotifications: Int { dropped.load(ordering: .relaxed) }

    /// Queues a notification; never waits.
    func enqueue(_ notification: AlertNotification) {
        if case .dropped = continuation.yield(notification) {
            dropped.add(1, ordering: .relaxed)
            logger.warning("alert notification queue full; notification dropped", metadata: ["alert": "\(notification.historyID)"])
        }
    }

    /// Delivers queued notifications until cancelled.
    func run(client: PostgresClient) async {
        let session = URLSession(configuration: .ephemeral)
        await withDiscardingTaskGroup { group in
            for await notification in stream {
                group.addTask { await self.deliver(notification, session: session, client: client) }
            }
        }
        session.invalidateAndCancel()
    }

    private func deliver(_ notification: AlertNotification, session: URLSession, client: PostgresClient) async {
        var backoff = configuration.initialBackoff
        for attempt in 1...configuration.maxAttempts {
            let (status, failure) = await post(notification, session: session)
            if Task.isCancelled { return }  // interrupted by shutdown: not a delivery failure
            let ok = failure == nil && (200..<300).contains(status ?? 0)
            let record = NotificationAttempt(
                event: notification.event.rawValue, host: notification.url.host ?? "", attempt: attempt, at: Date(),
                ok: ok, status: status, error: failure ?? (ok ? nil : "HTTP \(status ?? 0)"))
            await self.record(record, for: notification.historyID, client: client)
            if ok || attempt == configuration.maxAttempts {
                if !ok {
                    logger.warning("alert webhook failed", metadata: [
                        "alert": "\(notification.historyID)", "host": "\(record.host)", "attempts": "\(attempt)",
                    ])
                }
                return
            }
            do { try await Task.sleep(for: backoff) } catch { return }
            backoff *= 2
        }
    }

    /// One POST: the HTTP status, or why no response came.
    private func post(_ notification: AlertNotification, session: URLSession) async -> (Int?, String?) {
        var request = URLRequest(url: notification.url, timeoutInterval: configuration.requestTimeout)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = notification.body
        do {
            let (_, response) = try await session.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode, nil)
        } catch {
            return (nil, error.localizedDescription)
        }
    }

    private func record(_ attempt: NotificationAttempt, for historyID: UUID, client: PostgresClient) async {
        do {
            let json = String(decoding: try JSONEncoder.alerts.encode(attempt), as: UTF8.self)
            try await client.withConnection { connection in
                try await store.recordNotification(historyID: historyID, attemptJSON: json, on: connection)
            }
        } catch {
            logger.error("could not record a notification attempt", metadata: ["alert": "\(historyID)", "error": "\(String(reflecting: error))"])
        }
    }
}
