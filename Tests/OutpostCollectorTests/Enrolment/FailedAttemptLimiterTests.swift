import Testing

@testable import OutpostCollector

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

    @Test("rotating source addresses does not buy more attempts: the global budget refuses every address")
    func globalBudgetCoversEveryAddress() {
        let start = ContinuousClock.now
        let limiter = FailedAttemptLimiter(burst: 5, perMinute: 5, globalBurst: 20, globalPerMinute: 60, now: start)
        for index in 0..<20 {
            let address = "192.0.2.\(index + 1)"
            #expect(limiter.allows(address, now: start))
            limiter.recordFailure(address, now: start)
        }
        #expect(!limiter.allows("198.51.100.7", now: start))  // never seen, still refused
        #expect(!limiter.allows("198.51.100.7", now: start + .milliseconds(900)))
        #expect(limiter.allows("198.51.100.7", now: start + .seconds(1)))  // 60/min: one back after 1 s
    }
}
