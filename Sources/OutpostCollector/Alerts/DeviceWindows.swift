import Foundation
import OutpostCore
import OutpostRules
import OutpostStore

/// The recent samples of one device's rule variables, derived from its ping rounds and item samples.
///
/// Ping rounds give `ping_unreachable` (consecutive failed rounds), `avg_ping_ms` (when a reply
/// came), `packet_loss` (percent), `status_changes` (one sample per reachability change),
/// `down_time` (seconds since the first failed round of the current outage, 0 when up), `ip`
/// and `response_time` (the round's mean RTT in seconds, so `response_time > 100ms` reads as
/// written). Item samples give one series per item name (numeric values only); a table item's
/// series holds one sample per walk, the highest value of its rows. IF-MIB table samples also
/// give the interface variables (``InterfaceVariables``), `isp_link` is the device's ISP
/// classification at each round, and completed traces give `path_changed` (docs/alert-rules.md).
struct DeviceWindows {
    /// Samples per variable, oldest first.
    private(set) var series: [String: [RuleSample]] = [:]
    /// Newest sample time seen: the time the device's rules are evaluated at.
    private(set) var newest: Date?
    private var consecutiveFailures = 0
    private var downSince: Date?
    private var wasReachable: Bool?
    private var interfaces = InterfaceVariables()

    /// Adds the variables of one ping round (rounds must arrive oldest first).
    mutating func add(_ round: PingRoundResult) {
        let time = round.timestamp
        if round.isReachable {
            consecutiveFailures = 0
            downSince = nil
        } else {
            consecutiveFailures += 1
            if downSince == nil { downSince = time }
        }
        if let wasReachable, wasReachable != round.isReachable {
            append("status_changes", RuleSample(time, .number(round.isReachable ? 1 : 0)))
        }
        wasReachable = round.isReachable
        append("ping_unreachable", RuleSample(time, .number(Double(consecutiveFailures))))
        append("packet_loss", RuleSample(time, .number(round.lossPercent)))
        append("down_time", RuleSample(time, .number(downSince.map { time.timeIntervalSince($0) } ?? 0)))
        append("ip", RuleSample(time, .string(round.deviceIP)))
        if let rtt = round.avgRTT {
            append("avg_ping_ms", RuleSample(time, .number(rtt)))
            append("response_time", RuleSample(time, .number(rtt / 1000)))
        }
    }

    /// Adds whether the device is an ISP link (it has an interface classified as an ISP uplink)
    /// at the time of a round.
    mutating func add(ispLink: Bool, at time: Date) {
        append("isp_link", RuleSample(time, .boolean(ispLink)))
    }

    /// Adds whether a completed trace's path differed from the device's previous one, at its
    /// completion time (once: a trace replayed at warm-up and then reported is not counted twice).
    mutating func add(pathChanged: Bool, at time: Date) {
        guard series["path_changed"]?.contains(where: { $0.timestamp == time }) != true else { return }
        append("path_changed", RuleSample(time, .boolean(pathChanged)))
    }

    /// Adds an item sample under `name` (counters as their raw value; failed polls are skipped).
    /// A table sample (one row of a walk) raises the walk's sample to its value when higher; an
    /// IF-MIB sample (`interface` is its column) also updates the interface variables.
    mutating func add(_ sample: ItemSample, name: String, interface: InterfaceColumn? = nil) {
        guard let value = sample.value?.numericValue else { return }
        if sample.instance == nil {
            append(name, RuleSample(sample.timestamp, .number(value)))
        } else {
            merge(name, RuleSample(sample.timestamp, .number(value))) { held in max(held, value) }
        }
        if let interface {
            for update in interfaces.add(sample, column: interface) {
                guard case .number(let number) = update.sample.value else { continue }
                merge(update.name, update.sample) { _ in number }
            }
        }
    }

    /// Appends `sample`, or when the series' last sample has its time, replaces that sample's
    /// number with `combine(held)`.
    private mutating func merge(_ name: String, _ sample: RuleSample, combine: (Double) -> Double) {
        if let last = series[name]?.last, last.timestamp == sample.timestamp, case .number(let held) = last.value {
            series[name]![series[name]!.count - 1].value = .number(combine(held))
        } else {
            append(name, sample)
        }
    }

    /// Drops samples older than `seconds` before the newest one, keeping each series' last sample
    /// (a rule's `last(x)` reads it however old it is).
    mutating func trim(keeping seconds: Double) {
        guard let newest else { return }
        let horizon = newest.addingTimeInterval(-seconds)
        for name in series.keys {
            series[name]?.trim(before: horizon)
        }
    }

    private mutating func append(_ name: String, _ sample: RuleSample) {
        newest = max(newest ?? sample.timestamp, sample.timestamp)
        var samples = series[name, default: []]
        if let last = samples.last, last.timestamp > sample.timestamp {
            // A late sample (an agent's spool replayed after newer data): keep the order.
            let index = samples.firstIndex { $0.timestamp > sample.timestamp } ?? samples.endIndex
            samples.insert(sample, at: index)
        } else {
            samples.append(sample)
        }
        series[name] = samples
    }
}

extension [RuleSample] {
    /// Removes the samples at or before `horizon` except the last one.
    fileprivate mutating func trim(before horizon: Date) {
        let stale = prefix { $0.timestamp <= horizon }.count
        removeFirst(Swift.min(stale, count - 1))
    }
}
