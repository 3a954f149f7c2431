import Foundation
import OutpostStore

/// The enabled rules that parsed, with how much history they need.
struct AlertRuleSet: Sendable {
    /// Rules in load order.
    let rules: [LoadedAlertRule]
    /// Seconds of samples to keep per device: the longest window any rule reads (at least a minute).
    let retention: Double
    /// Incremented at every reload: what the engine cached of devices is read again after one.
    let generation: Int

    init(_ rules: [LoadedAlertRule] = [], generation: Int = 0) {
        self.rules = rules
        self.generation = generation
        retention = rules.reduce(60) { max($0, $1.rule.syntax.longestWindow) }
    }

    /// The rules whose scope contains `device`.
    func rules(for device: AlertDeviceInfo) -> [LoadedAlertRule] {
        rules.filter { $0.record.scope.contains(device) }
    }
}
