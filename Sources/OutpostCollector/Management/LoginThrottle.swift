import Foundation

/// Brute-force limits on logins: per source address (a token bucket, shared by every user
/// name tried from it) and per user (after ``freeFailures`` failures in a row, each attempt
/// must wait twice as long as the previous one, up to ``longestDelay``, whatever address it
/// comes from). A success resets the user's count.
struct LoginThrottle: Sendable {
    /// Failures in a row a user may have before attempts are delayed.
    static let freeFailures: Int32 = 5
    /// The longest delay between attempts on one user.
    static let longestDelay: TimeInterval = 900

    let sources: FailedAttemptLimiter

    init(burst: Int = 10, perMinute: Double = 10) {
        sources = FailedAttemptLimiter(burst: burst, perMinute: perMinute, globalBurst: 500, globalPerMinute: 300)
    }

    /// How long the user must still wait before an attempt at `now`, or `nil` if they need not.
    static func userDelay(failures: Int32, lastFailure: Date?, now: Date) -> TimeInterval? {
        guard failures >= freeFailures, let lastFailure else { return nil }
        let delay = min(longestDelay, pow(2, Double(min(failures - freeFailures, 20))))
        let remaining = lastFailure.addingTimeInterval(delay).timeIntervalSince(now)
        return remaining > 0 ? remaining : nil
    }
}
