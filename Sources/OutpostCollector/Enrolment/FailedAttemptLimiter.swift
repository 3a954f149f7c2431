import Synchronization

/// A token bucket per source address for failed enrolment attempts: each failure takes a token,
/// tokens come back at a fixed rate up to the burst size, and an address without a token is
/// refused before its request is looked at. Guessing a 256-bit secret is hopeless anyway; this
/// keeps a misbehaving box or scanner from loading the database. A second bucket counts the
/// failures of all addresses together, so rotating source addresses buys no more attempts:
/// while it is empty, every address is refused.
///
/// The table is bounded: when it holds ``maximumAddresses`` addresses, a new one evicts the
/// address with the most tokens (the least suspicious).
final class FailedAttemptLimiter: Sendable {
    /// Most addresses tracked at once.
    static let maximumAddresses = 4096

    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private struct Rate {
        let burst: Double
        let refillPerSecond: Double

        init(burst: Int, perMinute: Double) {
            self.burst = Double(max(1, burst))
            self.refillPerSecond = max(0, perMinute) / 60
        }
    }

    private let perAddress: Rate
    private let global: Rate
    private let buckets = Mutex<[String: Bucket]>([:])
    private let globalBucket: Mutex<Bucket>

    /// A limiter allowing each address `burst` failures at once, then `perMinute` failures per
    /// minute, and all addresses together `globalBurst`, then `globalPerMinute` (unbounded when
    /// `globalBurst` is `nil`).
    init(
        burst: Int, perMinute: Double, globalBurst: Int? = nil, globalPerMinute: Double = 0,
        now: ContinuousClock.Instant = .now
    ) {
        perAddress = Rate(burst: burst, perMinute: perMinute)
        global = globalBurst.map { Rate(burst: $0, perMinute: globalPerMinute) } ?? Rate(burst: .max, perMinute: 0)
        globalBucket = Mutex(Bucket(tokens: global.burst, updated: now))
    }

    /// Whether `address` may make an attempt at `now` (it and the global bucket have a token left).
    func allows(_ address: String, now: ContinuousClock.Instant = .now) -> Bool {
        guard globalBucket.withLock({ refilled($0, rate: global, now: now).tokens >= 1 }) else { return false }
        return buckets.withLock { buckets in
            guard let bucket = buckets[address] else { return true }
            return refilled(bucket, rate: perAddress, now: now).tokens >= 1
        }
    }

    /// Takes a token from `address` and from the global bucket for a failed attempt at `now`.
    func recordFailure(_ address: String, now: ContinuousClock.Instant = .now) {
        globalBucket.withLock { bucket in
            bucket = refilled(bucket, rate: global, now: now)
            bucket.tokens = max(0, bucket.tokens - 1)
        }
        buckets.withLock { buckets in
            var bucket =
                buckets[address].map { refilled($0, rate: perAddress, now: now) }
                ?? Bucket(tokens: perAddress.burst, updated: now)
            bucket.tokens = max(0, bucket.tokens - 1)
            if buckets[address] == nil, buckets.count >= Self.maximumAddresses {
                evictFullest(from: &buckets, now: now)
            }
            buckets[address] = bucket
        }
    }

    private func refilled(_ bucket: Bucket, rate: Rate, now: ContinuousClock.Instant) -> Bucket {
        let elapsed = bucket.updated.duration(to: now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Bucket(tokens: min(rate.burst, bucket.tokens + max(0, seconds) * rate.refillPerSecond), updated: now)
    }

    private func evictFullest(from buckets: inout [String: Bucket], now: ContinuousClock.Instant) {
        let fullest = buckets.max {
            refilled($0.value, rate: perAddress, now: now).tokens
                < refilled($1.value, rate: perAddress, now: now).tokens
        }
        if let fullest { buckets.removeValue(forKey: fullest.key) }
    }
}
