import Foundation

/// One webhook delivery to make: a JSON body for one URL, about one alert episode.
struct AlertNotification: Sendable {
    /// `firing` or `resolved`.
    enum Event: String, Sendable {
        case firing, resolved
    }

    /// The episode the notification is about (its attempts are recorded there).
    let historyID: UUID
    let event: Event
    /// The webhook URL (never logged: it may carry a token).
    let url: URL
    /// The JSON POST body.
    let body: Data

    /// The JSON body of a notification.
    struct Payload: Encodable {
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
            case event, alertID = "alert_id", ruleID = "rule_id", ruleName = "rule_name", severity
            case deviceID = "device_id", deviceName = "device_name", message, value, expression, at
        }
    }
}

/// One delivery attempt, appended to `alert_history.notifications_sent`.
struct NotificationAttempt: Encodable {
    let event: String
    let channel = "webhook"
    /// Only the host of the URL: the rest may carry a secret.
    let host: String
    let attempt: Int
    let at: Date
    let ok: Bool
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
