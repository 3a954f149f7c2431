import Foundation
import Logging
import OutpostStore
import PostgresNIO
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Delivers alert notifications (webhooks, e-mail) off the evaluation path: a bounded queue
/// consumed by one task per notification, each retrying with exponential backoff and recording
/// every attempt in `alert_history.notifications_sent`. A dead endpoint or SMTP server delays
/// only its own notifications.
final class AlertNotifier: Sendable {
    /// Retry policy and limits.
    struct Configuration: Sendable {
        /// Attempts per notification, the first included.
        var maxAttempts = 5
        /// Wait before the second attempt; doubled for each further one.
        var initialBackoff: Duration = .seconds(1)
        /// One webhook attempt is abandoned after this long.
        var requestTimeout: TimeInterval = 10
        /// Notifications waiting for delivery; more are dropped and counted.
        var queueCapacity = 10_000
        /// The SMTP server for e-mail channels; without it e-mails fail (recorded, not retried).
        var smtp: SMTPConfiguration?
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
            logger.warning(
                "alert notification queue full; notification dropped", metadata: ["alert": "\(notification.historyID)"])
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

    /// The outcome of one attempt.
    private struct Outcome {
        var status: Int?
        var error: String?
        /// Whether trying again may help (not for a missing SMTP configuration).
        var retryable = true
    }

    private func deliver(_ notification: AlertNotification, session: URLSession, client: PostgresClient) async {
        var backoff = configuration.initialBackoff
        for attempt in 1...configuration.maxAttempts {
            let outcome = await attemptOnce(notification, session: session)
            if Task.isCancelled { return }  // interrupted by shutdown: not a delivery failure
            let ok = outcome.error == nil
            let record = NotificationAttempt(
                event: notification.event.rawValue, channel: notification.channel.name,
                host: host(of: notification.channel),
                to: recipients(of: notification.channel), attempt: attempt, at: Date(), ok: ok, status: outcome.status,
                error: outcome.error)
            await self.record(record, for: notification.historyID, client: client)
            if ok || !outcome.retryable || attempt == configuration.maxAttempts {
                if !ok {
                    logger.warning(
                        "alert notification failed",
                        metadata: [
                            "alert": "\(notification.historyID)", "channel": "\(record.channel)",
                            "host": "\(record.host)",
                            "attempts": "\(attempt)", "error": "\(outcome.error ?? "")",
                        ])
                }
                return
            }
            do { try await Task.sleep(for: backoff) } catch { return }
            backoff *= 2
        }
    }

    private func attemptOnce(_ notification: AlertNotification, session: URLSession) async -> Outcome {
        switch notification.channel {
        case .webhook(let url):
            let (status, failure) = await post(notification.payload, to: url, session: session)
            let ok = failure == nil && (200..<300).contains(status ?? 0)
            return Outcome(status: status, error: ok ? nil : failure ?? "HTTP \(status ?? 0)")
        case .email(let recipients):
            guard let smtp = configuration.smtp else {
                return Outcome(error: "no SMTP server configured (smtp_server, smtp_from)", retryable: false)
            }
            do {
                let code = try await SMTPClient(configuration: smtp).send(
                    MailMessage(notification, from: smtp.from, to: recipients))
                return Outcome(status: code)
            } catch let error as SMTPError {
                return Outcome(status: error.code, error: error.description)
            } catch {
                return Outcome(error: String(describing: error))
            }
        }
    }

    private func host(of channel: AlertNotification.Channel) -> String {
        switch channel {
        case .webhook(let url): url.host ?? ""
        case .email: configuration.smtp.map { "\($0.host):\($0.port)" } ?? ""
        }
    }

    private func recipients(of channel: AlertNotification.Channel) -> [String]? {
        if case .email(let recipients) = channel { return recipients }
        return nil
    }

    /// One POST: the HTTP status, or why no response came.
    private func post(_ payload: AlertNotification.Payload, to url: URL, session: URLSession) async -> (Int?, String?) {
        var request = URLRequest(url: url, timeoutInterval: configuration.requestTimeout)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        do {
            request.httpBody = try JSONEncoder.alerts.encode(payload)
            let (_, response) = try await session.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode, nil)
        } catch {
            return (nil, error.localizedDescription)
        }
    }

    private func record(_ attempt: NotificationAttempt, for historyID: UUID, client: PostgresClient) async {
        do {
            let json = String(decoding: try JSONEncoder.alerts.encode(attempt), as: UTF8.self)
            try await client.withConnection(timeout: PostgresClient.callTimeout) { [store] connection in
                try await store.recordNotification(historyID: historyID, attemptJSON: json, on: connection)
            }
        } catch {
            logger.error(
                "could not record a notification attempt",
                metadata: ["alert": "\(historyID)", "error": "\(String(reflecting: error))"])
        }
    }
}
