import Foundation
import OutpostCore

/// Turns successive Counter32/Counter64 samples into per-second rates.
///
/// - A counter that went down wrapped once at its width (2^32 or 2^64) unless the agent
///   restarted (its `sysUpTime` went back) or the wrapped delta implies a rate above
///   `maxPlausibleRate`; a reset yields no rate and starts a new baseline.
/// - The first sample of a key, a changed counter type, or a non-increasing timestamp
///   yields no rate. Non-counter values yield no rate and are not tracked.
public struct CounterRateTracker<Key: Hashable & Sendable>: Sendable {
    private struct Baseline: Sendable {
        var value: SNMPValue
        var timestamp: Date
        var uptime: UInt32?
    }

    /// Rates above this (units per second) are treated as a counter reset, not a wrap.
    public var maxPlausibleRate: Double
    private var baselines: [Key: Baseline] = [:]

    /// Creates a tracker. The default bound (10^10/s) is above 80 Gbit/s in octets.
    public init(maxPlausibleRate: Double = 1e10) {
        self.maxPlausibleRate = maxPlausibleRate
    }

    /// Number of tracked counters.
    public var count: Int { baselines.count }

    /// Records `value` read at `timestamp` (with the agent's `sysUpTime` when known) and
    /// returns the rate since the previous sample of `key`, if one can be trusted.
    public mutating func record(_ value: SNMPValue, for key: Key, at timestamp: Date, uptime: UInt32? = nil) -> Double?
    {
        guard let width = Self.width(of: value) else {
            baselines[key] = nil
            return nil
        }
        let previous = baselines[key]
        baselines[key] = Baseline(value: value, timestamp: timestamp, uptime: uptime)
        guard let previous, let previousWidth = Self.width(of: previous.value), previousWidth == width else {
            return nil
        }
        let elapsed = timestamp.timeIntervalSince(previous.timestamp)
        guard elapsed > 0 else { return nil }
        if let uptime, let previousUptime = previous.uptime, uptime < previousUptime { return nil }
        let current = Self.magnitude(of: value)
        let before = Self.magnitude(of: previous.value)
        let delta: Double
        if current >= before {
            delta = Double(current - before)
        } else {
            // Wrapped: (max - before) + current + 1, computed without overflow.
            let maximum: UInt64 = width == 32 ? UInt64(UInt32.max) : UInt64.max
            delta = Double(maximum - before) + Double(current) + 1
        }
        let rate = delta / elapsed
        return rate <= maxPlausibleRate ? rate : nil
    }

    /// Forgets a counter (e.g. its item was deleted).
    public mutating func remove(_ key: Key) {
        baselines[key] = nil
    }

    private static func width(of value: SNMPValue) -> Int? {
        switch value {
        case .counter32: 32
        case .counter64: 64
        default: nil
        }
    }

    private static func magnitude(of value: SNMPValue) -> UInt64 {
        switch value {
        case .counter32(let v): UInt64(v)
        case .counter64(let v): v
        default: 0
        }
    }
}
