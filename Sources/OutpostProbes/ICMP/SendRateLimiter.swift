import Synchronization

/// Token bucket limiting echo requests per second over the whole engine.
///
/// The bucket holds at most 10 ms worth of tokens (at least one), so a burst after an idle
/// period stays short while the long-run rate is exactly the configured one. A limiter made
/// from a ``SharedSendRate`` follows changes of that rate at its next ``tryAcquire(now:)``.
struct SendRateLimiter {
    private let shared: SharedSendRate?
    private var packetsPerSecond: Int
    private var nanosecondsPerToken: Double
    private var capacity: Double
    private var tokens: Double
    private var lastRefill: UInt64

    /// A limiter allowing `packetsPerSecond`, full at `now`.
    init(packetsPerSecond: Int, now: UInt64) {
        self.init(shared: nil, packetsPerSecond: packetsPerSecond, now: now)
    }

    /// A limiter allowing what `rate` says at each acquisition, full at `now`.
    init(rate: SharedSendRate, now: UInt64) {
        self.init(shared: rate, packetsPerSecond: rate.packetsPerSecond, now: now)
    }

    private init(shared: SharedSendRate?, packetsPerSecond: Int, now: UInt64) {
        self.shared = shared
        self.packetsPerSecond = packetsPerSecond
        nanosecondsPerToken = 1e9 / Double(packetsPerSecond)
        capacity = max(1, Double(packetsPerSecond) / 100)
        tokens = capacity
        lastRefill = now
    }

    /// Takes one token if available at `now`.
    mutating func tryAcquire(now: UInt64) -> Bool {
        refill(now: now)
        if let shared, shared.packetsPerSecond != packetsPerSecond { adopt(shared.packetsPerSecond) }
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    /// When the next token will be available (at the rate of the last acquisition).
    func nextTokenTime() -> UInt64 {
        tokens >= 1 ? lastRefill : lastRefill + UInt64(((1 - tokens) * nanosecondsPerToken).rounded(.up))
    }

    /// Switches to a new rate; tokens earned so far (at the old rate) are kept up to the new capacity.
    private mutating func adopt(_ rate: Int) {
        packetsPerSecond = rate
        nanosecondsPerToken = 1e9 / Double(rate)
        capacity = max(1, Double(rate) / 100)
        tokens = min(tokens, capacity)
    }

    private mutating func refill(now: UInt64) {
        guard now > lastRefill else { return }
        tokens = min(capacity, tokens + Double(now - lastRefill) / nanosecondsPerToken)
        lastRefill = now
    }
}

/// An engine's send rate in echo requests per second: set by any thread, read by the I/O
/// thread's ``SendRateLimiter`` at each send.
final class SharedSendRate: Sendable {
    private let value: Atomic<Int>

    init(packetsPerSecond: Int) {
        value = Atomic(packetsPerSecond)
    }

    /// The current rate.
    var packetsPerSecond: Int { value.load(ordering: .relaxed) }

    /// Replaces the rate; the I/O thread adopts it at its next send.
    func set(_ packetsPerSecond: Int) {
        value.store(packetsPerSecond, ordering: .relaxed)
    }
}
