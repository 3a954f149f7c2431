import Foundation
import Logging
import OutpostRules
import OutpostStore
import PostgresNIO

/// The baselines the alert engine's rules read (docs/alert-rules.md, "Baselines"): per device,
/// those of the hour of week it is evaluated at, read from the database in one query for all
/// the devices of a commit whose hour changed (so at most once an hour per device, and only
/// while some rule uses `baseline()` or `anomaly()`).
struct AlertBaselines {
    private var cached: [UUID: (hour: Int, baselines: [String: RuleBaseline])] = [:]
    private var inUse: (generation: Int, uses: Bool) = (-1, false)
    private let store: BaselineStore

    init(logger: Logger) {
        store = BaselineStore(logger: logger)
    }

    /// Reads the baselines of the hour of week each of `devices` is evaluated at (device → time),
    /// unless cached or no rule of `rules` reads baselines. A failure is logged: the devices have
    /// no baselines until the next commit retries, so their baseline rules are unknown.
    mutating func refresh(
        _ devices: [UUID: Date], rules: AlertRuleSet, client: PostgresClient, logger: Logger
    ) async {
        if inUse.generation != rules.generation {
            inUse = (rules.generation, rules.rules.contains { $0.rule.syntax.readsBaselines })
        }
        guard inUse.uses else { return }
        var due: [Int: [UUID]] = [:]
        for (device, time) in devices {
            let hour = HourOfWeek.of(time)
            if cached[device]?.hour != hour { due[hour, default: []].append(device) }
        }
        for (hour, ids) in due {
            do {
                let read = try await client.withConnection(timeout: PostgresClient.callTimeout) { [store] in
                    try await store.ruleBaselines(devices: ids, hour: hour, on: $0)
                }
                for id in ids { cached[id] = (hour, read[id] ?? [:]) }
            } catch {
                logger.error(
                    "alert engine cannot read baselines; baseline rules of these devices stay unknown",
                    metadata: ["devices": "\(ids.count)", "error": "\(String(reflecting: error))"])
            }
        }
    }

    /// The context a rule of `device` is evaluated in at `now`.
    func context(for device: UUID, now: Date, series: [String: [RuleSample]]) -> AlertRuleContext {
        let entry = cached[device]
        return AlertRuleContext(
            now: now, series: series, baselines: entry?.hour == HourOfWeek.of(now) ? entry?.baselines ?? [:] : [:])
    }
}

/// A device's rule variables and its baselines for the hour of week of `now`. `rtt` is the
/// `avg_ping_ms` series unless the device has a series of that name.
struct AlertRuleContext: RuleContext {
    let now: Date
    let series: [String: [RuleSample]]
    let baselines: [String: RuleBaseline]

    func samples(of variable: String) -> [RuleSample]? {
        series[variable] ?? (variable == BaselineVariables.rtt ? series["avg_ping_ms"] : nil)
    }

    /// The baseline of the hour of week of `now` (the engine evaluates at `now` only).
    func baseline(of variable: String, at time: Date) -> RuleBaseline? {
        baselines[variable]
    }
}

extension RuleExpression {
    /// Whether the expression calls `baseline()` or `anomaly()` (or a shorthand of them).
    var readsBaselines: Bool {
        switch kind {
        case .number, .percent, .duration, .string, .boolean, .variable:
            return false
        case .call(.baseline, _, _), .call(.anomaly, _, _):
            return true
        case .unary(_, let operand), .like(let operand, _, _), .call(_, let operand, _):
            return operand.readsBaselines
        case .arithmetic(_, let lhs, let rhs), .comparison(_, let lhs, let rhs), .logical(_, let lhs, let rhs):
            return lhs.readsBaselines || rhs.readsBaselines
        }
    }
}
