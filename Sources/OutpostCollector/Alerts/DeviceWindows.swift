import Foundation
import OutpostCore
import OutpostRules

/// The recent samples of one device's rule variables, derived from its ping rounds and item samples.
///
/// Ping rounds give `ping_unreachable` (consecutive failed rounds), `avg_ping_ms` (when a reply
/// came), `packet_loss` (percent), `status_changes` (one sample per reachability change),
/// `down_time` (seconds since the first failed round of the current outage, 0 when up) and `ip`.
/// Item samples give one series per item name (numeric values only).
struct DeviceWindows {
    /// Samples per variable, oldest first.
    private(set) var series: [String: [RuleSample]] = [:]
    /// Newest sample time seen: the time the device's rules are evaluated at.
    private(set) var newest: Date?
    private var consecutiveFailures = 0
    private var downSince: Date?
    private var wasReachable: Bool?

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
        if let rtt = round.avgRTT { append("avg_ping_ms", RuleSample(time, .number(rtt))) }
    }

    /// Adds an item sample under `name` (counters as their raw value; failed polls are skipped).
    mutating func add(_ sample: ItemSample, name: String) {
        guard let value = sample.value?.numericValue else { return }
        append(name, RuleSample(sample.timestamp, .number(value)))
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
