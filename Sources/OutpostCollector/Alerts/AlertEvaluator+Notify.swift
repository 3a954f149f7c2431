import Foundation
import OutpostStore

extension AlertEvaluator {
    /// Queues the notification on every channel of the rule (webhooks, e-mail).
    func notify(_ event: AlertNotification.Event, id: UUID, _ context: Context, message: String) {
        let rule = context.record
        let payload = AlertNotification.Payload(
            event: event.rawValue, alertID: id, ruleID: rule.id, ruleName: rule.name, severity: rule.severity,
            deviceID: context.device.id, deviceName: context.device.name, message: message, value: context.value,
            expression: rule.expression, at: context.now)
        for text in rule.webhooks {
            guard let url = URL(string: text), url.scheme == "http" || url.scheme == "https" else {
                logger.warning(
                    "alert rule has a webhook that is not an http(s) URL; skipped", metadata: ["rule": "\(rule.id)"])
                continue
            }
            notifier.enqueue(AlertNotification(historyID: id, event: event, channel: .webhook(url), payload: payload))
        }
        let recipients = rule.emailRecipients.filter(MailAddress.isValid)
        if recipients.count < rule.emailRecipients.count {
            logger.warning(
                "alert rule has e-mail recipients that are not addresses; skipped", metadata: ["rule": "\(rule.id)"])
        }
        if !recipients.isEmpty {
            notifier.enqueue(
                AlertNotification(historyID: id, event: event, channel: .email(recipients), payload: payload))
        }
    }
}
