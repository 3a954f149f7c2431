import Foundation

/// One notification to deliver on one channel, about one alert episode or flapping period.
struct AlertNotification: Sendable {
    /// What happened.
    enum Event: String, Sendable {
        case firing, resolved
        case flappingStarted = "flapping_started"
        case flappingStopped = "flapping_stopped"
    }

    /// Where the notification goes.
    enum Channel: Sendable {
        /// A JSON POST to the URL (never logged: it may carry a token).
        case webhook(URL)
        /// One e-mail to these (validated) addresses through the configured SMTP server.
        case email([String])

        /// `webhook` or `email`, as recorded in `notifications_sent`.
        var name: String {
            switch self {
            case .webhook: "webhook"
            case .email: "email"
            }
        }
    }

    /// The `alert_history` row the notification is about (its attempts are recorded there).
    let historyID: UUID
    let event: Event
    let channel: Channel
    let payload: Payload

    /// The JSON body of a webhook, and the facts of an e-mail.
    struct Payload: Encodable, Sendable {
        let event: String
        let alertID: UUID
        let ruleID: UUID
        let ruleName: String
        let severity: String
        let deviceID: UUID
        let deviceName: String
        let message: String
        let value: String?
        let expression: String
        let at: Date

        enum CodingKeys: String, CodingKey {
            case event
            case alertID = "alert_id"
            case ruleID = "rule_id"
            case ruleName = "rule_name"
            case severity
            case deviceID = "device_id"
            case deviceName = "device_name"
            case message, value, expression, at
        }
    }
}

/// One delivery attempt, appended to `alert_history.notifications_sent`.
struct NotificationAttempt: Encodable {
    let event: String
    /// `webhook` or `email`.
    let channel: String
    /// The webhook URL's host (the rest may carry a secret), or the SMTP server.
    let host: String
    /// E-mail recipients (absent for webhooks).
    let to: [String]?
    let attempt: Int
    let at: Date
    let ok: Bool
    /// HTTP status or SMTP reply code.
    let status: Int?
    let error: String?
}

extension JSONEncoder {
    /// ISO 8601 dates, sorted keys: the encoder for notification bodies and attempt records.
    static let alerts: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()
}
