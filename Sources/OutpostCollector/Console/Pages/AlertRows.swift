import OutpostConsole
import OutpostStore

/// Alert lines as the device and branch pages show them.
enum AlertRows {
    static func row(_ alert: AlertView, clock: OperatorClock) -> AlertRow {
        AlertRow(
            id: alert.id.uuidString.lowercased(), severity: alert.severity, rule: alert.ruleName,
            message: alert.message, triggered: clock.dateTime(alert.triggeredAt),
            resolved: alert.resolvedAt.map(clock.dateTime), acknowledged: alert.acknowledged,
            acknowledgement: alert.acknowledged
                ? [alert.acknowledgedBy.map { "by \($0)" }, alert.acknowledgementComment].compactMap { $0 }
                    .joined(separator: ": ") : nil,
            inMaintenance: alert.inMaintenance)
    }
}
