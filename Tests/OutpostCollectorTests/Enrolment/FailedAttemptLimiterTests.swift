@testable import OutpostCollector
import Testing

/// The per-address token bucket, with explicit instants.
@Suite struct FailedAttemptLimiterTests {
    @Test func refusesAfterTheBurstAndRecoversAtTheRefillRate() {
        let limiter = FailedAttemptLimiter(burst: 5, perMinute: 5)
        let start = ContinuousClock.now
        for _ in 0..<5 {
            #expect(limiter.allows("192.0.2.1", now: start))
            limiter.recordFailure("192.0.2.1", now: start)
        }
        #expect(!limiter.allows("192.0.2.1", now: start))
        #expect(limiter.allows("192.0.2.2", now: start))  // per address
        #expect(!limiter.allows("192.0.2.1", now: start + .seconds(11)))
        #expect(limiter.allows("192.0.2.1", now: start + .seconds(12)))  // 5/min: one back after 12 s
    }
}
