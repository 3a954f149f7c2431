import Synchronization

/// A token bucket per source address for failed enrolment attempts: each failure takes a token,
/// tokens come back at a fixed rate up to the burst size, and an address without a token is
/// refused before its request is looked at. Guessing a 256-bit secret is hopeless anyway; this
/// keeps a misbehaving box or scanner from loading the database.
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

    private let burst: Double
    private let refillPerSecond: Double
    private let buckets = Mutex<[String: Bucket]>([:])

    /// A limiter allowing `burst` failures at once, then `perMinute` failures per minute.
    init(burst: Int, perMinute: Double) {
        self.burst = Double(max(1, burst))
        self.refillPerSecond = max(0, perMinute) / 60
    }

    /// Whether `address` may make an attempt at `now` (it has a token left).
    func allows(_ address: String, now: ContinuousClock.Instant = .now) -> Bool {
        buckets.withLock { buckets in
            guard let bucket = buckets[address] else { return true }
            return refilled(bucket, now: now).tokens >= 1
        }
    }

    /// Takes a token from `address` for a failed attempt at `now`.
    func recordFailure(_ address: String, now: ContinuousClock.Instant = .now) {
        buckets.withLock { buckets in
            var bucket = buckets[address].map { refilled($0, now: now) } ?? Bucket(tokens: burst, updated: now)
            bucket.tokens = max(0, bucket.tokens - 1)
            if buckets[address] == nil, buckets.count >= Self.maximumAddresses {
                evictFullest(from: &buckets, now: now)
            }
            buckets[address] = bucket
        }
    }

    private func refilled(_ bucket: Bucket, now: ContinuousClock.Instant) -> Bucket {
        let elapsed = bucket.updated.duration(to: now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Bucket(tokens: min(burst, bucket.tokens + max(0, seconds) * refillPerSecond), updated: now)
    }

    private func evictFullest(from buckets: inout [String: Bucket], now: ContinuousClock.Instant) {
        let fullest = buckets.max { refilled($0.value, now: now).tokens < refilled($1.value, now: now).tokens }
        if let fullest { buckets.removeValue(forKey: fullest.key) }
    }
}
