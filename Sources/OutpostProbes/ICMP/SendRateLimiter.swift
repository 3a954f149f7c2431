/// Token bucket limiting echo requests per second over the whole engine.
///
/// The bucket holds at most 10 ms worth of tokens (at least one), so a burst after an idle
/// period stays short while the long-run rate is exactly the configured one.
struct SendRateLimiter {
    private let nanosecondsPerToken: Double
    private let capacity: Double
    private var tokens: Double
    private var lastRefill: UInt64

    /// A limiter allowing `packetsPerSecond`, full at `now`.
    init(packetsPerSecond: Int, now: UInt64) {
        nanosecondsPerToken = 1e9 / Double(packetsPerSecond)
        capacity = max(1, Double(packetsPerSecond) / 100)
        tokens = capacity
        lastRefill = now
    }

    /// Takes one token if available at `now`.
    mutating func tryAcquire(now: UInt64) -> Bool {
        refill(now: now)
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    /// When the next token will be available.
    func nextTokenTime() -> UInt64 {
        tokens >= 1 ? lastRefill : lastRefill + UInt64(((1 - tokens) * nanosecondsPerToken).rounded(.up))
    }

    private mutating func refill(now: UInt64) {
        guard now > lastRefill else { return }
        tokens = min(capacity, tokens + Double(now - lastRefill) / nanosecondsPerToken)
        lastRefill = now
    }
}
