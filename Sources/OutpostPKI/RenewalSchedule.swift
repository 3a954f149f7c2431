import Foundation
import X509

/// When an agent renews its certificate: after 2/3 of its lifetime, moved earlier by a random
/// jitter of up to 1/20 of the lifetime so that agents enrolled together do not all renew in
/// the same minute (the schedule of step-ca's `renew --daemon`).
///
/// A running agent sleeps until ``renewalDate(using:)`` and then renews; at start-up it renews
/// at once if ``needsRenewal(now:)`` (the threshold without jitter) is already true.
public struct RenewalSchedule: Sendable, Equatable {
    /// Fraction of the lifetime after which renewal is due.
    public static let renewalFraction = 2.0 / 3.0
    /// Largest jitter, as a fraction of the lifetime.
    public static let maximumJitterFraction = 1.0 / 20.0

    /// Start of the certificate's validity.
    public let notValidBefore: Date
    /// End of the certificate's validity.
    public let notValidAfter: Date

    /// The schedule of `certificate`.
    public init(certificate: Certificate) {
        self.init(notValidBefore: certificate.notValidBefore, notValidAfter: certificate.notValidAfter)
    }

    /// The schedule of a validity period.
    public init(notValidBefore: Date, notValidAfter: Date) {
        self.notValidBefore = notValidBefore
        self.notValidAfter = notValidAfter
    }

    /// The validity period's length.
    public var lifetime: TimeInterval { notValidAfter.timeIntervalSince(notValidBefore) }

    /// The moment 2/3 of the lifetime has elapsed.
    public var renewalThreshold: Date {
        notValidBefore + lifetime * Self.renewalFraction
    }

    /// The renewal threshold moved earlier by `jitter` (clamped to 0...1) times the largest
    /// jitter: always within `[threshold - lifetime/20, threshold]`.
    public func renewalDate(jitter: Double) -> Date {
        let fraction = min(max(jitter, 0), 1)
        return renewalThreshold - fraction * Self.maximumJitterFraction * lifetime
    }

    /// The renewal date with a random jitter from `generator`.
    public func renewalDate(using generator: inout some RandomNumberGenerator) -> Date {
        renewalDate(jitter: Double.random(in: 0...1, using: &generator))
    }

    /// The renewal date of `certificate` with a random jitter from the system generator.
    public static func renewalDate(for certificate: Certificate) -> Date {
        var generator = SystemRandomNumberGenerator()
        return RenewalSchedule(certificate: certificate).renewalDate(using: &generator)
    }

    /// Whether 2/3 of the lifetime has elapsed at `now` (also true once expired).
    public func needsRenewal(now: Date) -> Bool {
        now >= renewalThreshold
    }
}
