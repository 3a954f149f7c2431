import Foundation

extension MailMessage {
    /// The e-mail for an alert notification: subject `[Outpost] FIRING critical: rule on device`,
    /// the facts one per line, times in UTC.
    init(_ notification: AlertNotification, from: String, to: [String]) {
        let payload = notification.payload
        let what =
            switch notification.event {
            case .firing: "FIRING"
            case .resolved: "RESOLVED"
            case .flappingStarted: "FLAPPING"
            case .flappingStopped: "FLAPPING STOPPED"
            }
        let time = ISO8601DateFormatter.string(
            from: payload.at, timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withInternetDateTime])
        let body = [
            payload.message,
            "",
            "Event:      \(notification.event.rawValue)",
            "Device:     \(payload.deviceName) (\(payload.deviceID.uuidString.lowercased()))",
            "Rule:       \(payload.ruleName) (\(payload.severity))",
            "Expression: \(payload.expression)",
            "Value:      \(payload.value ?? "-")",
            "At:         \(time)",
            "Alert:      \(payload.alertID.uuidString.lowercased())",
        ].joined(separator: "\n")
        self.init(
            from: from, to: to,
            subject: "[Outpost] \(what) \(payload.severity): \(payload.ruleName) on \(payload.deviceName)",
            body: body, date: Date(), messageID: "\(UUID().uuidString.lowercased())@outpost")
    }
}
