/// A token bucket in bytes: refills at `bytesPerSecond` up to one second's worth and lets a
/// record through once its bytes are paid for, so a record larger than the bucket still passes
/// (it only delays the next ones).
struct ReplayRateLimiter: Sendable {
    let bytesPerSecond: Double
    private var tokens: Double
    private var last: ContinuousClock.Instant

    init(bytesPerSecond: Int, now: ContinuousClock.Instant) {
        precondition(bytesPerSecond > 0, "bytesPerSecond must be positive")
        self.bytesPerSecond = Double(bytesPerSecond)
        self.tokens = Double(bytesPerSecond)
        self.last = now
    }

    /// Charges `bytes` at time `now` and returns how long to wait before sending them.
    mutating func delay(for bytes: Int, at now: ContinuousClock.Instant) -> Duration {
        let elapsed = now - last
        last = now
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        tokens = min(bytesPerSecond, tokens + seconds * bytesPerSecond) - Double(bytes)
        guard tokens < 0 else { return .zero }
        return .nanoseconds(Int64((-tokens / bytesPerSecond * 1e9).rounded(.up)))
    }
}
