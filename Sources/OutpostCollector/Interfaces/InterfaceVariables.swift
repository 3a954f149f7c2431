import Foundation
import OutpostCore
import OutpostRules
import OutpostStore

/// The interface rule variables of one device, derived from its IF-MIB table samples
/// (docs/alert-rules.md, "Interface variables"):
///
/// - `if_down`: interfaces administratively up (or of unknown admin status) whose oper status is
///   not up, one sample per oper-status walk;
/// - `if_oper_changes`: one sample per oper-status change of an interface (1 came up, 0 went down);
/// - `if_utilisation`: the highest in or out utilisation of the walk's interfaces, in percent of
///   their speed;
/// - `if_error_rate`: in and out errors per second, summed over the interfaces of the walk.
struct InterfaceVariables {
    /// A variable's value at one walk: the series keeps one sample per walk time.
    struct Update: Equatable {
        var name: String
        var sample: RuleSample
    }

    private var adminUp: [String: Bool] = [:]
    private var operUp: [String: Bool] = [:]
    private var speedBps: [String: Double] = [:]
    private var utilisation: [Date: [String: Double]] = [:]
    private var errors: [Date: [String: Double]] = [:]

    /// The updates a sample of `column` makes; samples of other columns or without an instance make none.
    mutating func add(_ sample: ItemSample, column: InterfaceColumn) -> [Update] {
        guard let instance = sample.instance?.key, let value = sample.value?.numericValue else { return [] }
        let time = sample.timestamp
        switch column {
        case .adminStatus:
            adminUp[instance] = value == 1
            return []
        case .highSpeed:
            if value > 0 { speedBps[instance] = value * 1_000_000 }
            return []
        case .speed:
            if speedBps[instance] == nil, value > 0, value < Double(UInt32.max) { speedBps[instance] = value }
            return []
        case .operStatus:
            let up = value == 1
            var updates: [Update] = []
            if let was = operUp[instance], was != up {
                updates.append(Update(name: "if_oper_changes", sample: RuleSample(time, .number(up ? 1 : 0))))
            }
            operUp[instance] = up
            let down = operUp.filter { key, isUp in !isUp && adminUp[key] != false }.count
            updates.append(Update(name: "if_down", sample: RuleSample(time, .number(Double(down)))))
            return updates
        case .hcInOctets, .hcOutOctets, .inOctets, .outOctets:
            guard let rate = sample.rate, let speed = speedBps[instance] else { return [] }
            let percent = rate * 8 / speed * 100
            utilisation[time, default: [:]][instance] = max(utilisation[time]?[instance] ?? 0, percent)
            let highest = utilisation[time]?.values.max() ?? percent
            utilisation = utilisation.filter { $0.key >= time }
            return [Update(name: "if_utilisation", sample: RuleSample(time, .number(highest)))]
        case .inErrors, .outErrors:
            guard let rate = sample.rate else { return [] }
            errors[time, default: [:]][instance + (column == .inErrors ? ":in" : ":out")] = rate
            let total = errors[time]?.values.reduce(0, +) ?? rate
            errors = errors.filter { $0.key >= time }
            return [Update(name: "if_error_rate", sample: RuleSample(time, .number(total)))]
        default:
            return []
        }
    }
}
