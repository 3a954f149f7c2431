import Foundation

/// The functions over a variable's samples in a time window `(now - seconds, now]`. Samples are
/// in ascending timestamp order, so the window is found by binary search; nothing is copied.
enum SampleWindow {
    /// The indices of `samples` with `now - seconds < timestamp <= now`.
    static func range<Samples: RandomAccessCollection>(of samples: Samples, seconds: Double, endingAt now: Date)
        -> Range<Samples.Index>
    where Samples.Element == RuleSample {
        firstIndex(of: samples, after: now.addingTimeInterval(-seconds))..<firstIndex(of: samples, after: now)
    }

    /// The first index whose timestamp is after `date` (`endIndex` if none).
    static func firstIndex<Samples: RandomAccessCollection>(of samples: Samples, after date: Date) -> Samples.Index
    where Samples.Element == RuleSample {
        var low = samples.startIndex
        var remaining = samples.count
        while remaining > 0 {
            let half = remaining / 2
            let middle = samples.index(low, offsetBy: half)
            if samples[middle].timestamp <= date {
                low = samples.index(after: middle)
                remaining -= half + 1
            } else {
                remaining = half
            }
        }
        return low
    }

    /// `avg`, `min`, `max`, `rate` or `count` of `window`; `nil` when the window has no numeric
    /// sample (for `count`: never `nil`, an empty window counts 0).
    static func apply<Window: Collection>(_ function: WindowFunction, to window: Window) -> Double?
    where Window.Element == RuleSample {
        switch function {
        case .count:
            return Double(window.count)
        case .rate:
            return rate(of: window)
        case .avg, .min, .max:
            var count = 0
            var sum = 0.0
            var smallest = Double.infinity
            var largest = -Double.infinity
            for sample in window {
                guard case .number(let value) = sample.value else { continue }
                count += 1
                sum += value
                smallest = Swift.min(smallest, value)
                largest = Swift.max(largest, value)
            }
            guard count > 0 else { return nil }
            return function == .min ? smallest : function == .max ? largest : sum / Double(count)
        }
    }

    /// Counters wrap at 2^32 (Counter32) or 2^64 (Counter64).
    static let counter32Modulus = 4_294_967_296.0

    /// Per-second increase of a counter: the sum of the increases between consecutive numeric
    /// samples divided by the time between the first and the last of them. A decrease from a
    /// value below 2^32 is a 32-bit wrap (increase = 2^32 - previous + current); a decrease from a
    /// larger value is a reset (increase = current), since a 64-bit counter does not wrap in
    /// practice. `nil` with fewer than two numeric samples or no time between them.
    static func rate<Window: Collection>(of window: Window) -> Double? where Window.Element == RuleSample {
        var first: Date?
        var previous: (timestamp: Date, value: Double)?
        var increase = 0.0
        for sample in window {
            guard case .number(let value) = sample.value else { continue }
            if let previous {
                increase += increment(from: previous.value, to: value)
            } else {
                first = sample.timestamp
            }
            previous = (sample.timestamp, value)
        }
        guard let first, let last = previous?.timestamp else { return nil }
        let elapsed = last.timeIntervalSince(first)
        return elapsed > 0 ? increase / elapsed : nil
    }

    /// The increase of a counter read as `previous` then `current`.
    static func increment(from previous: Double, to current: Double) -> Double {
        if current >= previous { return current - previous }
        if previous < counter32Modulus { return counter32Modulus - previous + current }
        return current
    }
}
